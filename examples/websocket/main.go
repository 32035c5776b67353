// Command websocket guards a WebSocket endpoint with the same origin
// policy as its CORS-protected API, using Middleware.OriginAllowed.
// Browsers do not apply CORS to WebSockets: any page may open a socket to
// any server, sending its Origin, and the server must check it, or a
// hostile page can talk to the socket with the user's cookies
// (cross-site WebSocket hijacking). Run it with
//
//	go run ./examples/websocket
//
// and, from the browser console of a page on http://localhost:5173:
//
//	ws = new WebSocket('ws://127.0.0.1:8080/ws'); ws.onmessage = e => console.log(e.data); ws.onopen = () => ws.send('hi')
package main

import (
	"cmp"
	"errors"
	"io"
	"log"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
	"golang.org/x/net/websocket"

	"github.com/gincors/gincors"
)

func newRouter() (*gin.Engine, error) {
	cors, err := gincors.NewMiddleware(gincors.Config{
		AllowOrigins:     []string{"http://localhost:5173", "https://app.example.com"},
		AllowCredentials: true,
	})
	if err != nil {
		return nil, err
	}
	router := gin.New()
	router.Use(gin.Recovery(), cors.Handler())

	router.GET("/api/hello", func(c *gin.Context) { c.String(http.StatusOK, "hello") })
	router.GET("/ws", func(c *gin.Context) {
		server := websocket.Server{
			// Handshake replaces x/net/websocket's default check, which only
			// requires Origin to parse as a URL. An error answers 403.
			Handshake: func(*websocket.Config, *http.Request) error {
				if !cors.OriginAllowed(c) {
					return errors.New("origin not allowed")
				}
				return nil
			},
			Handler: func(ws *websocket.Conn) { _, _ = io.Copy(ws, ws) }, // echo
		}
		server.ServeHTTP(c.Writer, c.Request)
	})
	return router, nil
}

func main() {
	router, err := newRouter()
	if err != nil {
		log.Fatal(err)
	}
	addr := "127.0.0.1:" + cmp.Or(os.Getenv("PORT"), "8080")
	log.Printf("echo WebSocket on ws://%s/ws", addr)
	log.Fatal(router.Run(addr))
}
