package gincors

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigFromJSON(t *testing.T) {
	cases := []struct {
		name string
		json string
		want Config
	}{
		{"every key", `{
			"allowOrigins": ["https://app.example.com"],
			"allowOriginRegexps": ["https://pr-\\d+\\.preview\\.example\\.com"],
			"allowMethods": ["GET", "PUT"],
			"allowHeaders": ["Content-Type"],
			"exposeHeaders": ["X-Request-Id"],
			"allowCredentials": true,
			"maxAge": "12h",
			"allowPrivateNetwork": true,
			"optionsPassthrough": true,
			"optionsSuccessStatus": 200,
			"debug": true,
			"dangerouslyAllowNullOrigin": true,
			"dangerouslyAllowInsecureOrigins": true,
			"dangerouslyAllowPublicSuffixWildcards": true,
			"dangerouslySkipOriginFuncCheck": true
		}`, Config{
			AllowOrigins: []string{"https://app.example.com"}, AllowOriginRegexps: []string{`https://pr-\d+\.preview\.example\.com`},
			AllowMethods: []string{"GET", "PUT"}, AllowHeaders: []string{"Content-Type"}, ExposeHeaders: []string{"X-Request-Id"},
			AllowCredentials: true, MaxAge: 12 * time.Hour, AllowPrivateNetwork: true, OptionsPassthrough: true,
			OptionsSuccessStatus: 200, Debug: true, DangerouslyAllowNullOrigin: true, DangerouslyAllowInsecureOrigins: true,
			DangerouslyAllowPublicSuffixWildcards: true, DangerouslySkipOriginFuncCheck: true,
		}},
		{"MaxAge as whole seconds", `{"allowOrigins": ["*"], "maxAge": 600}`, Config{AllowOrigins: []string{"*"}, MaxAge: 600 * time.Second}},
		{"MaxAge null", `{"allowOrigins": ["*"], "maxAge": null}`, Config{AllowOrigins: []string{"*"}}},
		{"keys matched case-insensitively, as encoding/json does", `{"AllowOrigins": ["*"], "MaxAge": "1h30m"}`, Config{AllowOrigins: []string{"*"}, MaxAge: 90 * time.Minute}},
		{"empty object", `{}`, Config{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got Config
			require.NoError(t, json.Unmarshal([]byte(tc.json), &got))
			assert.Equal(t, tc.want, got)

			// Marshalling writes what unmarshalling reads.
			out, err := json.Marshal(got)
			require.NoError(t, err)
			var again Config
			require.NoError(t, json.Unmarshal(out, &again), string(out))
			assert.Equal(t, tc.want, again)
		})
	}
}

func TestConfigFromJSONRefuses(t *testing.T) {
	cases := []struct{ name, json, want string }{
		{"misspelt key", `{"allowOrigin": ["*"]}`, `gincors: reading a Config from JSON: json: unknown field "allowOrigin"`},
		{"function key", `{"allowOriginFunc": true}`, `gincors: reading a Config from JSON: json: unknown field "allowOriginFunc"`},
		{"MaxAge not a duration", `{"maxAge": "12 hours"}`, `gincors: MaxAge "12 hours": not a duration; write a string such as "12h" or "600s", or a whole number of seconds such as 600`},
		{"MaxAge a fraction of seconds", `{"maxAge": 1.5}`, `gincors: MaxAge "1.5": not a duration; write a string such as "12h" or "600s", or a whole number of seconds such as 600`},
		{"MaxAge seconds overflowing a Duration", `{"maxAge": 43200000000000}`, `gincors: MaxAge "43200000000000": not a duration; write a string such as "12h" or "600s", or a whole number of seconds such as 600`},
		{"origins as one string", `{"allowOrigins": "https://a.example,https://b.example"}`, `gincors: reading a Config from JSON: "allowOrigins" is a JSON string, where []string is needed`},
		{"credentials as a string", `{"allowCredentials": "true"}`, `gincors: reading a Config from JSON: "allowCredentials" is a JSON string, where bool is needed`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got Config
			err := json.Unmarshal([]byte(tc.json), &got)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestOriginsFromEnv(t *testing.T) {
	cases := []struct {
		name, value string
		want        []string
	}{
		{"one origin", "https://app.example.com", []string{"https://app.example.com"}},
		{"a list with spaces and empty entries", " https://a.example, ,https://b.example ,", []string{"https://a.example", "https://b.example"}},
		{"empty", "", nil},
		{"only separators", " , ", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GINCORS_TEST_ORIGINS", tc.value)
			assert.Equal(t, tc.want, OriginsFromEnv("GINCORS_TEST_ORIGINS"))
		})
	}
	t.Run("unset", func(t *testing.T) {
		assert.Nil(t, OriginsFromEnv("GINCORS_TEST_UNSET_VARIABLE"))
	})
	t.Run("a list from the environment allows each origin", func(t *testing.T) {
		t.Setenv("GINCORS_TEST_ORIGINS", "https://a.example, https://b.example")
		s := newTestServer(t, Config{AllowOrigins: OriginsFromEnv("GINCORS_TEST_ORIGINS")})
		for _, o := range []string{"https://a.example", "https://b.example"} {
			got := s.serve(t, request{method: "GET", lines: lines("Origin", o)})
			assert.Equal(t, result{200, hdr(headerAllowOrigin, o, "Vary", "Origin"), true}, got)
		}
	})
}
