package gincors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// Loading a Config from where people keep it: a JSON file (or a
// configuration library that reads JSON tags) and environment variables.

// configFields is Config without its methods, so that UnmarshalJSON and
// MarshalJSON can use the default encoding for every field but MaxAge.
type configFields Config

// UnmarshalJSON reads a Config from a JSON object whose keys are those of
// the Config's json tags ("allowOrigins", "allowCredentials", "maxAge",
// ...; encoding/json also matches them case-insensitively). MaxAge is a
// duration string as [time.ParseDuration] reads it, such as "12h" or
// "600s", or a number of whole seconds. A key that is not a field is an
// error, so that a misspelt setting does not silently keep its default.
// The functions, OriginMatcher and Logger cannot come from JSON: set them
// in Go after loading.
//
// Loading does not validate: [New] and [Config.Validate] do.
func (c *Config) UnmarshalJSON(data []byte) error {
	var aux struct {
		*configFields
		// MaxAge dominates configFields.MaxAge, being less nested.
		MaxAge json.RawMessage `json:"maxAge,omitempty"`
	}
	aux.configFields = (*configFields)(c)
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&aux); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			key := typeErr.Field[strings.LastIndex(typeErr.Field, ".")+1:]
			return fmt.Errorf("gincors: reading a Config from JSON: %q is a JSON %s, where %s is needed", key, typeErr.Value, typeErr.Type)
		}
		return fmt.Errorf("gincors: reading a Config from JSON: %w", err)
	}
	if len(aux.MaxAge) == 0 || string(aux.MaxAge) == "null" {
		return nil
	}
	maxAge, err := parseMaxAge(aux.MaxAge)
	if err != nil {
		return err
	}
	c.MaxAge = maxAge
	return nil
}

// parseMaxAge reads MaxAge from JSON: a duration string, or a number of
// whole seconds.
func parseMaxAge(raw json.RawMessage) (time.Duration, error) {
	fail := &ConfigError{Field: "MaxAge", Value: string(raw), Message: `not a duration; write a string such as "12h" or "600s", or a whole number of seconds such as 600`}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		fail.Value = s // as written, without the JSON quotes
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, fail
		}
		return d, nil
	}
	seconds, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || seconds > math.MaxInt64/int64(time.Second) || seconds < math.MinInt64/int64(time.Second) {
		return 0, fail
	}
	return time.Duration(seconds) * time.Second, nil
}

// MarshalJSON writes c as [Config.UnmarshalJSON] reads it, with MaxAge as
// a duration string; the functions, OriginMatcher and Logger are left out.
func (c Config) MarshalJSON() ([]byte, error) {
	aux := struct {
		configFields
		MaxAge string `json:"maxAge,omitempty"`
	}{configFields: configFields(c)}
	if c.MaxAge != 0 {
		aux.MaxAge = c.MaxAge.String()
	}
	return json.Marshal(aux)
}

// OriginsFromEnv returns the origins listed in the environment variable
// name, separated by commas, such as
//
//	CORS_ORIGINS="https://app.example.com, https://admin.example.com"
//
// Spaces around each origin are removed and empty entries dropped. It
// returns nil if the variable is unset or empty; [New] then refuses a
// Config that has no other origin source, so a missing variable stops the
// start instead of allowing nothing silently. Each origin is checked as
// AllowOrigins entries are.
//
//	cfg.AllowOrigins = gincors.OriginsFromEnv("CORS_ORIGINS")
func OriginsFromEnv(name string) []string {
	var origins []string
	for s := range strings.SplitSeq(os.Getenv(name), ",") {
		if s = strings.TrimSpace(s); s != "" {
			origins = append(origins, s)
		}
	}
	return origins
}
