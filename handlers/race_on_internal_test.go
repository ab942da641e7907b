//go:build race

package handlers

// raceOn: the race detector changes what allocates, so the allocation
// guards run without it (.ci/run runs them on their own).
const raceOn = true
