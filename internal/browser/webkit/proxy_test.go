package webkit

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLoopbackTargetMapsOnlyTestHostsWithAPort(t *testing.T) {
	cases := []struct {
		name, hostport, target string
		ok                     bool
	}{
		{"a .test host goes to loopback on its port", "api.example.test:8080", "127.0.0.1:8080", true},
		{"case does not matter", "API.Example.TEST:1", "127.0.0.1:1", true},
		{"loopback itself is allowed", "127.0.0.1:9", "127.0.0.1:9", true},
		{"another domain is refused", "example.com:80", "", false},
		{"a name merely containing .test is refused", "api.test.example.com:80", "", false},
		{"a .test host without a port is refused", "api.example.test", "", false},
		{"another address is refused", "10.0.0.1:80", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			target, ok := loopbackTarget(tc.hostport)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.target, target)
		})
	}
}
