package gincors

import "strings"

// Canonical header names, so the request path can index header maps
// directly, and the list syntax of header values.
const (
	headerOrigin                = "Origin"
	headerVary                  = "Vary"
	headerRequestMethod         = "Access-Control-Request-Method"
	headerRequestHeaders        = "Access-Control-Request-Headers"
	headerRequestPrivateNetwork = "Access-Control-Request-Private-Network"
	headerAllowOrigin           = "Access-Control-Allow-Origin"
	headerAllowCredentials      = "Access-Control-Allow-Credentials"
	headerAllowMethods          = "Access-Control-Allow-Methods"
	headerAllowHeaders          = "Access-Control-Allow-Headers"
	headerAllowPrivateNetwork   = "Access-Control-Allow-Private-Network"
	headerExposeHeaders         = "Access-Control-Expose-Headers"
	headerMaxAge                = "Access-Control-Max-Age"
	headerSecFetchSite          = "Sec-Fetch-Site"
)

// listContains reports whether the comma-separated list header values in
// lines contain name, case-insensitively (RFC 9110 §5.6.1, https://www.rfc-editor.org/rfc/rfc9110#section-5.6.1).
func listContains(lines []string, name string) bool {
	for _, line := range lines {
		for line != "" {
			elem := line
			if i := strings.IndexByte(line, ','); i >= 0 {
				elem, line = line[:i], line[i+1:]
			} else {
				line = ""
			}
			if strings.EqualFold(strings.Trim(elem, " \t"), name) {
				return true
			}
		}
	}
	return false
}
