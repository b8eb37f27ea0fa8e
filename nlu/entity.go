// Package nlu understands Korean as people type it in a messenger:
// normalisation, particles and request endings, extraction of numbers,
// money, quantities, dates and durations, intent classification, slot
// filling and linking to the catalog. It needs no dictionary or model
// download: every model is trained at start-up from the project's data.
package nlu

import "time"

// Dimensions of extracted entities (contracts.md section 5).
const (
	DimNumber   = "number"
	DimOrdinal  = "ordinal"
	DimMoney    = "money"
	DimQuantity = "quantity"
	DimDatetime = "datetime"
	DimDuration = "duration"
)

// Entity is one value found in a text. Start and End count Unicode code
// points of the text as given, End exclusive. Which value fields are set
// depends on Dim:
//
//	number    Num
//	ordinal   Num (an integer)
//	money     Num, Unit (KRW or another ISO 4217 code)
//	quantity  Num, Unit (the counter as written: 마리, 판, 개, kg, 인분)
//	datetime  Time, Grain; or, for a span, From and To (To exclusive) with Span set
//	duration  Seconds
//
// MarshalJSON writes the shape of contracts.md section 5.
type Entity struct {
	Dim   string `json:"dim"`
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`

	Num     float64       `json:"-"`
	Unit    string        `json:"-"`
	Time    time.Time     `json:"-"`
	Grain   string        `json:"-"` // second, minute, hour, day, week, month, year
	Span    bool          `json:"-"`
	From    time.Time     `json:"-"`
	To      time.Time     `json:"-"`
	Seconds float64       `json:"-"`
	Dur     time.Duration `json:"-"`
}
