package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors"
)

// Credentialed requests need a cookie the browser keeps and sends back.
// Over plain http Chromium only does that between same-site origins, and
// headless profiles block third-party cookies, so the page is
// app.example.test and the API api.example.test: cross-origin, same site
// (example.test), and the session cookie is a default SameSite=Lax one,
// host-only for api.example.test, without Secure.

// credentialsConfig allows the app's origin with credentials, which over
// plain http needs DangerouslyAllowInsecureOrigins.
func credentialsConfig(pageHost string, allowCredentials bool) gincors.Config {
	return gincors.Config{
		AllowOrigins:                    []string{pageOrigin(pageHost)},
		AllowMethods:                    []string{"PUT"},
		AllowCredentials:                allowCredentials,
		DangerouslyAllowInsecureOrigins: allowCredentials,
	}
}

// webkitCookieReason is why WebKit's credentials scenarios run their page
// on the API's host: TestEngineProbes confirms it.
const webkitCookieReason = "WebKit does not send back a cookie that api.example.test set in reply to a fetch() " +
	"from app.example.test, though the two are same-site (third-party cookie blocking; Chromium and Firefox do), " +
	"so its credentials pages run on api.example.test on another port: still cross-origin, same host"

// credentialsPageHost is the host of the page that logs in to the API.
func credentialsPageHost(t *testing.T, e *engine) string {
	if e.family() == familyWebKit {
		noteDifference(t, e, webkitCookieReason)
		return apiHost
	}
	return appHost
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	forEachEngine(t, testCredentials)
}

func testCredentials(t *testing.T, e *engine) {

	t.Run("a cookie set by a credentialed response is sent back on the next", func(t *testing.T) {
		t.Parallel()
		b := newBrowserContext(t, e)
		host := credentialsPageHost(t, e)
		api := newAPI(t, credentialsConfig(host, true))
		p := b.open(host)

		// Log in: the response sets the cookie, and may be read.
		res := p.fetch(fetchRequest{URL: api.URL + "/login", Credentials: "include"})
		require.True(t, res.Resolved, "login fetch rejected: %s", res.Error)
		assert.Equal(t, "logged in", res.Body)
		login := api.exchanges("/login")
		require.Len(t, login, 1)
		assert.True(t, login[0].HandlerRan)
		assert.Empty(t, login[0].Cookie, "no cookie before logging in")
		assert.Equal(t, "true", login[0].Response.Get("Access-Control-Allow-Credentials"))
		assert.Equal(t, p.origin, login[0].Response.Get("Access-Control-Allow-Origin"))
		assert.Contains(t, login[0].Response.Get("Set-Cookie"), sessionCookie+"=")

		// The next credentialed request carries it.
		res = p.fetch(fetchRequest{URL: api.URL + "/whoami", Credentials: "include"})
		require.True(t, res.Resolved, "whoami fetch rejected: %s", res.Error)
		assert.Equal(t, "session="+sessionValue, res.Body)

		// So does a preflighted one, whose preflight carries no cookie
		// and must allow credentials too.
		res = p.fetch(fetchRequest{URL: api.URL + "/whoami", Method: "PUT", Credentials: "include"})
		require.True(t, res.Resolved, "credentialed PUT rejected: %s", res.Error)
		assert.Equal(t, "session="+sessionValue, res.Body)

		// Without credentials the browser sends no cookie.
		res = p.fetch(fetchRequest{URL: api.URL + "/whoami", Credentials: "omit"})
		require.True(t, res.Resolved, "uncredentialed fetch rejected: %s", res.Error)
		assert.Equal(t, "session=", res.Body)

		var seen []string
		for _, x := range api.exchanges("/whoami") {
			seen = append(seen, x.Method+" preflight="+strconv.FormatBool(x.Preflight)+" cookie="+x.Cookie+" ran="+strconv.FormatBool(x.HandlerRan))
		}
		assert.Equal(t, []string{
			"GET preflight=false cookie=" + sessionValue + " ran=true",
			"OPTIONS preflight=true cookie= ran=false",
			"PUT preflight=false cookie=" + sessionValue + " ran=true",
			"GET preflight=false cookie= ran=true",
		}, seen, "what the server saw of /whoami")
		pf := api.preflights("/whoami")
		require.Len(t, pf, 1)
		assert.Equal(t, http.StatusNoContent, pf[0].Status)
		assert.Equal(t, "true", pf[0].Response.Get("Access-Control-Allow-Credentials"))
		assert.Equal(t, "PUT", pf[0].Response.Get("Access-Control-Allow-Methods"))
	})

	t.Run("a credentialed fetch fails when credentials are not allowed", func(t *testing.T) {
		t.Parallel()
		b := newBrowserContext(t, e)
		host := credentialsPageHost(t, e)
		api := newAPI(t, credentialsConfig(host, false))
		p := b.open(host)

		// The origin is allowed, but not with credentials: the handler
		// runs, the script gets a TypeError.
		res := p.fetch(fetchRequest{URL: api.URL + "/login", Credentials: "include"})
		assert.False(t, res.Resolved, "credentialed fetch resolved: %d %q", res.Status, res.Body)
		assert.True(t, strings.HasPrefix(res.Error, "TypeError"), res.Error)
		login := api.exchanges("/login")
		require.Len(t, login, 1)
		assert.True(t, login[0].HandlerRan, "the handler runs; the browser withholds the response")
		assert.Equal(t, p.origin, login[0].Response.Get("Access-Control-Allow-Origin"))
		assert.Empty(t, login[0].Response.Values("Access-Control-Allow-Credentials"))

		// A credentialed preflighted request: gincors allows the
		// preflight, but without Access-Control-Allow-Credentials the
		// browser refuses it and never sends the PUT.
		res = p.fetch(fetchRequest{URL: api.URL + "/whoami", Method: "PUT", Credentials: "include"})
		assert.False(t, res.Resolved, "credentialed PUT resolved: %d %q", res.Status, res.Body)
		assert.True(t, strings.HasPrefix(res.Error, "TypeError"), res.Error)
		pf := api.preflights("/whoami")
		require.Len(t, pf, 1)
		assert.Equal(t, http.StatusNoContent, pf[0].Status)
		assert.Empty(t, pf[0].Response.Values("Access-Control-Allow-Credentials"))
		assert.Equal(t, 0, api.handlerRuns("/whoami"), "the PUT was never sent")

		// The same origin without credentials may read the response.
		res = p.fetch(fetchRequest{URL: api.URL + "/whoami"})
		require.True(t, res.Resolved, "uncredentialed fetch rejected: %s", res.Error)
		assert.Equal(t, "session=", res.Body)
		assert.Equal(t, 1, api.handlerRuns("/whoami"))
	})
}
