package origin

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsPublicSuffix(t *testing.T) {
	cases := []struct {
		domain string
		want   bool
	}{
		{"com", true},
		{"co.uk", true},
		{"github.io", true},   // a private rule
		{"internal", true},    // an unlisted TLD
		{"kawasaki.jp", true}, // every name below it is one ("*.kawasaki.jp")
		{"example.com", false},
		{"city.kawasaki.jp", false}, // an exception to that rule
		{"me.github.io", false},
		{"amazonaws.com", false}, // though s3.amazonaws.com below it is one
		{"localhost", false},     // loopback: only this machine serves it
	}
	for _, tc := range cases {
		t.Run(tc.domain, func(t *testing.T) {
			assert.Equal(t, tc.want, IsPublicSuffix(tc.domain))
		})
	}
}
