package nlu

import "time"

type extractor struct {
	text string
	rs   []rune
	ref  time.Time
}

func newExtractor(text string, ref time.Time) *extractor {
	return &extractor{text: text, rs: []rune(text), ref: ref}
}

func (x *extractor) run() []Entity { return nil }
