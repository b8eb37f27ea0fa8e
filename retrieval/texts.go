package retrieval

import (
	"strings"

	"github.com/sodam-ai/sodam"
)

// Texts is what a record is searched by, for stores that rank in their
// own engine (the Postgres store): Vector is embedded, Keyword holds the
// record's compact keyword fields separated by spaces. They are the texts
// the in-memory Index uses, so both stores rank the same words.
type Texts struct {
	Vector  string
	Keyword string
}

// MerchantTexts returns the search texts of a merchant.
func MerchantTexts(m *sodam.Merchant) Texts {
	f, _ := compactFields(merchantKeywordFields(m))
	return Texts{Vector: merchantVectorText(m), Keyword: strings.Join(f, " ")}
}

// ItemTexts returns the search texts of a menu item of merchant m; an
// item carries its merchant's names, so "교촌 허니콤보" finds it.
func ItemTexts(i *sodam.MenuItem, m *sodam.Merchant) Texts {
	f, _ := compactFields(itemKeywordFields(i))
	if m != nil {
		f = append(f, inheritedKeywordFields(m)...)
	}
	return Texts{Vector: itemVectorText(i, m), Keyword: strings.Join(f, " ")}
}

// EventTexts returns the search texts of an event.
func EventTexts(e *sodam.Event) Texts {
	f, _ := compactFields(eventKeywordFields(e))
	return Texts{Vector: eventVectorText(e), Keyword: strings.Join(f, " ")}
}

// CompactQuery folds a query the way keyword fields are folded: lower
// case, letters and digits only, no spaces.
func CompactQuery(q string) string { return compact(q) }
