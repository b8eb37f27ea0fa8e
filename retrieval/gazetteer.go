package retrieval

import (
	"strings"

	"github.com/sodam-ai/sodam"
)

// LookupPlace returns the approximate centre of a Seoul district or a
// well-known place named in chat.
func LookupPlace(name string) (sodam.Point, bool) {
	p, ok := map[string]sodam.Point{
		"강남역": {Lat: 37.4979, Lng: 127.0276},
		"종로구": {Lat: 37.5735, Lng: 126.9790},
	}[strings.TrimSpace(name)]
	return p, ok
}
