// Command gincorsvet reports CORS wiring mistakes and unsafe CORS
// configurations in Gin programs before they run: a gincors middleware on a
// router group, installed after the routes, behind an authentication
// middleware or next to another CORS middleware, a gincors.Config literal
// that gincors.New would refuse, and origin functions that let in origins
// their author did not mean.
//
// Run it standalone or through go vet:
//
//	gincorsvet ./...
//	go vet -vettool=$(command -v gincorsvet) ./...
//
// See README.md in this directory for every check and what it cannot see.
package main

import (
	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/gincors/gincors/cmd/gincorsvet/analyzer"
)

func main() { singlechecker.Main(analyzer.Analyzer) }
