package gguf

import (
	"fmt"
	"time"

	"github.com/moby/buildkit/client"
	digest "github.com/opencontainers/go-digest"
)

// reportStatus turns BuildKit's status stream into a few readable lines: each step's start,
// end and error, plus byte progress of downloads and pushes at most every 5 seconds per item.
func reportStatus(ch <-chan *client.SolveStatus, report func(string, ...any)) {
	started := map[digest.Digest]bool{}
	finished := map[digest.Digest]bool{}
	lastStatus := map[string]time.Time{}
	for st := range ch {
		for _, v := range st.Vertexes {
			switch {
			case v.Error != "" && !finished[v.Digest]:
				finished[v.Digest] = true
				report("[buildkit] %s: ERROR %s", v.Name, v.Error)
			case v.Completed != nil && !finished[v.Digest]:
				finished[v.Digest] = true
				took := ""
				if v.Started != nil {
					took = fmt.Sprintf(" (%.1fs)", v.Completed.Sub(*v.Started).Seconds())
				}
				if v.Cached {
					took = " (cached)"
				}
				report("[buildkit] %s: done%s", v.Name, took)
			case v.Started != nil && !started[v.Digest]:
				started[v.Digest] = true
				report("[buildkit] %s", v.Name)
			}
		}
		for _, s := range st.Statuses {
			if s.Total == 0 || (s.Completed == nil && time.Since(lastStatus[s.ID]) < 5*time.Second) {
				continue
			}
			lastStatus[s.ID] = time.Now()
			report("[buildkit] %s: %d/%d MiB", s.ID, s.Current>>20, s.Total>>20)
		}
	}
}
