package gincors

// verdict is the decision on one request, computed from the compiled
// policy before anything is written. The answer is written from it, and a
// refusal is reported from it, so neither re-derives the decision.
type verdict struct {
	// reason is why the request is refused, or 0 if it is not.
	reason    Reason
	preflight bool

	origin        string // the Origin value, if one was read
	originAllowed bool   // the origin is allowed (a preflight may still be refused later)
	method        string // a preflight's Access-Control-Request-Method
	header        string // the first refused request header, for ReasonHeader
	malformed     string // what was malformed, for ReasonMalformed

	requestHeaders []string         // Access-Control-Request-Headers field lines
	asked          requestedHeaders // their summary, once checked
	privateNetwork bool             // the preflight asks for private network access

	// stacked says, in debug mode, that another CORS middleware already
	// set headers on this response.
	stacked bool
}
