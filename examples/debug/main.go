// Command debug shows gincors's tools for finding out why a browser
// refuses a cross-origin call: Debug, a structured slog Logger, and an
// OnRejected hook that counts rejections by reason for a metrics endpoint.
// Run it with
//
//	go run ./examples/debug
//
// then send a preflight asking for a header the policy does not allow:
//
//	curl -i -X OPTIONS localhost:8080/api/orders -H 'Origin: http://localhost:5173' \
//	     -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type,x-csrf-token'
//
// The log names the header and the fix, /metrics counts it, and in a
// browser the console says "Request header field x-csrf-token is not
// allowed by Access-Control-Allow-Headers in preflight response" instead
// of a bare failed preflight. Turn Debug off in production; keep the
// Logger and the hook if you like: they cost nothing for allowed requests.
package main

import (
	"cmp"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
	"sync/atomic"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors"
)

// rejections counts refused CORS requests by reason.
type rejections struct {
	byReason [gincors.ReasonMalformed + 1]atomic.Int64
}

func (r *rejections) count(_ *gin.Context, rej gincors.Rejection) {
	if int(rej.Reason) < len(r.byReason) {
		r.byReason[rej.Reason].Add(1)
	}
}

// writeMetrics writes the counts in the Prometheus text format.
func (r *rejections) writeMetrics(w io.Writer) {
	fmt.Fprintln(w, "# TYPE gincors_rejections_total counter")
	for reason := gincors.ReasonOrigin; reason <= gincors.ReasonMalformed; reason++ {
		fmt.Fprintf(w, "gincors_rejections_total{reason=%q} %d\n", reason.String(), r.byReason[reason].Load())
	}
}

// newRouter builds the API; rejections are logged as JSON to logs.
func newRouter(logs io.Writer, debug bool) *gin.Engine {
	counts := &rejections{}
	router := gin.New()
	router.Use(gin.Recovery())
	router.Use(gincors.New(gincors.Config{
		AllowOrigins: []string{"http://localhost:5173"},
		AllowMethods: []string{"GET", "POST"},
		AllowHeaders: []string{"Content-Type"},
		Debug:        debug,
		Logger:       slog.New(slog.NewJSONHandler(logs, nil)),
		OnRejected:   counts.count,
	}))
	router.POST("/api/orders", func(c *gin.Context) { c.JSON(http.StatusCreated, gin.H{"id": 1}) })
	router.GET("/metrics", func(c *gin.Context) {
		c.Header("Content-Type", "text/plain; version=0.0.4")
		counts.writeMetrics(c.Writer)
	})
	return router
}

func main() {
	addr := "127.0.0.1:" + cmp.Or(os.Getenv("PORT"), "8080")
	log.Printf("API on http://%s, rejection counts on http://%s/metrics", addr, addr)
	log.Fatal(newRouter(os.Stderr, os.Getenv("CORS_DEBUG") != "off").Run(addr))
}
