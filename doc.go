// Package gincors is CORS middleware for the Gin web framework
// (https://github.com/gin-gonic/gin) that follows the CORS protocol of the
// WHATWG Fetch standard (https://fetch.spec.whatwg.org/#http-cors-protocol).
// It refuses, when it starts, any configuration that would let another
// website read what it should not, naming the field and the fix; it can tell
// you why a browser was refused; and it does its work once, at start-up, so
// that a request costs a few hash lookups.
//
// Install it with
//
//	go get github.com/gincors/gincors
//
// Build the middleware once from a [Config] and install it on the engine,
// before the routes:
//
//	router := gin.Default()
//	router.Use(gincors.New(gincors.Config{
//		AllowOrigins: []string{"https://app.example.com", "https://*.example.com"},
//		AllowMethods: []string{"GET", "POST", "PUT", "DELETE"},
//		AllowHeaders: []string{"Content-Type", "Authorization"},
//		MaxAge:       time.Hour,
//	}))
//
// # Choices
//
//   - [New] checks a [Config] and returns the middleware. It panics with
//     every problem it found, each a [*ConfigError]; [Config.Validate]
//     returns them instead.
//   - [Default] is for a public API: every origin, no credentials, the
//     methods and headers of [DefaultConfig]. [DefaultConfig] is a starting
//     point that needs only your origins.
//   - [ByPath] applies one policy per path prefix, such as a public API and
//     a credentialed /admin on one engine. Use it rather than a router
//     group's middleware, which never sees the preflights of routes without
//     an OPTIONS handler.
//   - [NewMiddleware] returns a [*Middleware] and an error instead of
//     panicking. [Middleware.Reconfigure] replaces its policy while the
//     server runs (origins from a database), and [Middleware.OriginAllowed]
//     gives the same origin decision for a WebSocket upgrade or a CSRF check.
//   - [Config.Debug], for development, logs every rejection and lets the
//     browser's console name the refused method or header;
//     [Config.Logger] and [Config.OnRejected] report rejections in
//     production.
//
// # Origins
//
// An origin is allowed if any of these allows it:
//
//   - [Config.AllowOrigins]: exact origins ("https://app.example.com"),
//     wildcard subdomains and ports ("https://*.example.com",
//     "http://localhost:*"), or "*" for every origin without credentials;
//   - [Config.AllowOriginRegexps]: regular expressions matched against the
//     whole origin;
//   - [Config.AllowOriginFunc] and [Config.AllowOriginWithContextFunc]: your
//     own decision, the latter with the request (a tenant told by its Host);
//   - [Config.AllowOriginMatcher]: an [OriginMatcher] built from [ExactOrigins],
//     [WildcardOrigins], [RegexpOrigins], [OriginFunc] and [AnyOf].
//
// With [Config.AllowCredentials], origins that someone else could own or
// impersonate are refused: "*", "null", plain http other than loopback,
// wildcards on public suffixes, and regular expressions not confined to your
// own domain.
//
// # What the middleware does
//
// A CORS-preflight request (OPTIONS with Origin and
// Access-Control-Request-Method,
// https://fetch.spec.whatwg.org/#cors-preflight-fetch) is answered by the
// middleware, which stops the chain (unless [Config.OptionsPassthrough]):
// 204 with the Access-Control-Allow-* headers if its origin, method and
// headers are allowed, 403 with no CORS header otherwise. Every other request reaches its handler: if its origin
// is allowed, the CORS headers are set before the handler runs, so that
// they survive a handler that fails; if not, the response carries none and
// the browser keeps it from the page. gincors never refuses an actual
// request: enforcing CORS is the browser's job, and same-origin requests
// carry an Origin header too. Vary is added to, never overwritten
// (https://www.rfc-editor.org/rfc/rfc9110#section-12.5.5).
//
// Install the middleware with engine.Use, before the routes and before
// anything that can refuse a request, such as authentication: Gin answers a
// preflight for a route without an OPTIONS handler with 404 before a group's
// middleware runs, whereas middleware on the engine runs for it.
//
// The README (https://github.com/gincors/gincors) has recipes, the
// troubleshooting guide
// (https://github.com/gincors/gincors/blob/main/docs/troubleshooting.md)
// explains each message a browser's console prints, and SECURITY.md
// (https://github.com/gincors/gincors/blob/main/SECURITY.md) states the
// guarantees and how they are tested.
package gincors
