package gincors

import "strconv"

// Reason is why gincors refused a request.
type Reason uint8

// The reasons, in the order a preflight is checked.
const (
	ReasonOrigin    Reason = iota + 1 // the origin is not allowed
	ReasonMethod                      // the preflight's method is not allowed
	ReasonHeader                      // a request header the preflight lists is not allowed
	ReasonMalformed                   // the request is not one a browser sends
)

// String returns the reason in words: "origin", "method", "header" or
// "malformed request".
func (r Reason) String() string {
	switch r {
	case ReasonOrigin:
		return "origin"
	case ReasonMethod:
		return "method"
	case ReasonHeader:
		return "header"
	case ReasonMalformed:
		return "malformed request"
	}
	return "Reason(" + strconv.Itoa(int(r)) + ")"
}

// malformation is what made a request one no browser sends.
type malformation uint8

const (
	malformedOrigins        malformation = iota + 1 // several Origin lines
	malformedMethods                                // several Access-Control-Request-Method lines
	malformedMethod                                 // a method that is not a token within bounds
	malformedRequestHeaders                         // Access-Control-Request-Headers beyond its syntax or bounds
)

// verdict is the decision on one request, computed from the compiled
// policy before anything is written. The answer is written from it, and a
// refusal is reported from it, so neither re-derives the decision.
type verdict struct {
	// reason is why the request is refused, or 0 if it is not.
	reason    Reason
	preflight bool

	origin        string       // the Origin value, if one was read
	originAllowed bool         // the origin is allowed (a preflight may still be refused later)
	method        string       // a preflight's Access-Control-Request-Method
	header        string       // the first refused request header, for ReasonHeader
	malformed     malformation // what was malformed, for ReasonMalformed

	requestHeaders []string         // Access-Control-Request-Headers field lines
	asked          requestedHeaders // their summary, once checked
	privateNetwork bool             // the preflight asks for private network access
	// debugHeaders lists, in debug mode, the requested headers that are
	// allowed, for the debug answer to a preflight refused for its method
	// or a header.
	debugHeaders string

	// stacked says, in debug mode, that another CORS middleware already
	// set headers on this response.
	stacked bool
}

// requestedHeaders summarises an allowed Access-Control-Request-Headers,
// for an answer that reflects it.
type requestedHeaders struct {
	lines    int    // field lines that name at least one header
	lastLine string // the last such line
}

// A Rejection describes one refused request, as [Config.OnRejected]
// receives it.
type Rejection struct {
	Reason    Reason
	Preflight bool   // a refused preflight, rather than an actual request from an origin not allowed
	Origin    string // the request's Origin, cut after 326 bytes, the longest origin allowed
	Method    string // the refused method, if Reason is ReasonMethod
	Header    string // the first refused request header, if Reason is ReasonHeader
	// Hint is what is wrong and the Config change that would allow the
	// request, if it should be allowed.
	Hint string
}

// String returns the rejection as one line a person can act on.
func (r Rejection) String() string {
	kind := "request"
	if r.Preflight {
		kind = "preflight"
	}
	return "gincors: " + kind + " from " + strconv.Quote(r.Origin) + " refused (" + r.Reason.String() + "): " + r.Hint
}
