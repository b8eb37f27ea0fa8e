package nlu

import "time"

// Extract finds the numbers, ordinals, money amounts, quantities,
// datetimes and durations in text, resolving datetimes against ref in
// ref's zone (contracts.md section 5). Entities do not overlap and come
// in text order; Start and End count code points of text. Where two
// readings overlap the longer, more specific one wins: a datetime or an
// amount of money absorbs its numbers, a quantity its number.
func Extract(text string, ref time.Time) []Entity {
	return newExtractor(text, ref).run()
}
