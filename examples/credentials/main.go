// Command credentials is a cookie-session login across two origins: a
// front end on http://app.gincors.localhost:8080 and an API on
// http://api.gincors.localhost:8081, both served by this program. Run it
// with
//
//	go run ./examples/credentials
//
// and open http://app.gincors.localhost:8080 in Chromium or Firefox: the
// page logs in and calls the API with credentials: 'include'.
//
// Both names resolve to loopback in Chromium and Firefox (every
// *.localhost name does), and they are same-site (both under
// gincors.localhost), which matters: over plain http browsers keep cookies
// only between same-site origins. APP_ORIGIN and API_ORIGIN override them.
package main

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors"
)

const sessionCookie = "session"

// sessions maps session tokens to user names.
type sessions struct {
	mu    sync.Mutex
	users map[string]string
}

func (s *sessions) create(user string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	token := hex.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[token] = user
	return token
}

func (s *sessions) user(token string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[token]
	return u, ok
}

func (s *sessions) delete(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.users, token)
}

// newAPI builds the API that the front end at appOrigin calls with
// cookies.
func newAPI(appOrigin string) *gin.Engine {
	store := &sessions{users: map[string]string{}}
	router := gin.New()
	router.Use(gin.Recovery())
	// gincors goes first, before anything that could refuse a request
	// (authentication, rate limits): a preflight carries no cookie, and a
	// 401 to it fails the browser's CORS check.
	router.Use(gincors.New(gincors.Config{
		AllowOrigins:     []string{appOrigin},
		AllowMethods:     []string{"GET", "POST"},
		AllowHeaders:     []string{"Content-Type"},
		AllowCredentials: true,
		MaxAge:           10 * time.Minute,
	}))

	router.POST("/login", func(c *gin.Context) {
		var body struct {
			Name string `json:"name" binding:"required"`
		}
		if err := c.ShouldBindJSON(&body); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "send {\"name\": \"…\"}"})
			return
		}
		// SameSite=Lax is enough: the page and the API are same-site.
		http.SetCookie(c.Writer, &http.Cookie{
			Name: sessionCookie, Value: store.create(body.Name), Path: "/",
			HttpOnly: true, SameSite: http.SameSiteLaxMode,
		})
		c.JSON(http.StatusOK, gin.H{"user": body.Name})
	})
	router.POST("/logout", func(c *gin.Context) {
		if token, err := c.Cookie(sessionCookie); err == nil {
			store.delete(token)
		}
		http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1})
		c.Status(http.StatusNoContent)
	})
	router.GET("/me", func(c *gin.Context) {
		token, err := c.Cookie(sessionCookie)
		user, ok := store.user(token)
		if err != nil || !ok {
			c.JSON(http.StatusUnauthorized, gin.H{"error": "not logged in"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"user": user})
	})
	return router
}

// newFrontend serves the page that calls the API at apiOrigin.
func newFrontend(apiOrigin string) *gin.Engine {
	router := gin.New()
	page := strings.ReplaceAll(pageHTML, "API_ORIGIN", apiOrigin)
	router.GET("/", func(c *gin.Context) {
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(page))
	})
	return router
}

const pageHTML = `<!doctype html>
<meta charset="utf-8">
<title>gincors credentials example</title>
<h1>Cookie login across origins</h1>
<p>This page calls <code>API_ORIGIN</code> with <code>credentials: 'include'</code>.</p>
<input id="name" value="ada"> <button id="login">Log in</button>
<button id="me">Who am I?</button> <button id="logout">Log out</button>
<pre id="log"></pre>
<script>
const api = 'API_ORIGIN';
const log = (line) => { document.getElementById('log').textContent += line + '\n'; };
async function call(method, path, body) {
  try {
    const res = await fetch(api + path, {
      method, credentials: 'include',
      headers: body ? {'Content-Type': 'application/json'} : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    log(method + ' ' + path + ' → ' + res.status + ' ' + await res.text());
  } catch (e) {
    log(method + ' ' + path + ' failed: ' + e + ' (see the console)');
  }
}
document.getElementById('login').onclick = () => call('POST', '/login', {name: document.getElementById('name').value});
document.getElementById('me').onclick = () => call('GET', '/me');
document.getElementById('logout').onclick = () => call('POST', '/logout');
</script>
`

// listenAddr is the loopback address to listen on for an origin's port.
func listenAddr(origin string) string {
	u, err := url.Parse(origin)
	if err != nil || u.Port() == "" {
		log.Fatalf("%q: need an origin with a port, such as http://app.gincors.localhost:8080", origin)
	}
	return net.JoinHostPort("127.0.0.1", u.Port())
}

func main() {
	appOrigin := cmp.Or(os.Getenv("APP_ORIGIN"), "http://app.gincors.localhost:8080")
	apiOrigin := cmp.Or(os.Getenv("API_ORIGIN"), "http://api.gincors.localhost:8081")
	go func() { log.Fatal(newAPI(appOrigin).Run(listenAddr(apiOrigin))) }()
	fmt.Printf("front end: open %s in a browser\nAPI:       %s\n", appOrigin, apiOrigin)
	log.Fatal(newFrontend(apiOrigin).Run(listenAddr(appOrigin)))
}
