//go:build !race

package gincors

const raceEnabled = false
