package nlu

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// entityJSON is the wire form of an Entity (contracts.md section 5).
type entityJSON struct {
	Dim   string          `json:"dim"`
	Text  string          `json:"text"`
	Start int             `json:"start"`
	End   int             `json:"end"`
	Value json.RawMessage `json:"value"`
}

type unitValueJSON struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

type instantJSON struct {
	Value string `json:"value"`
	Grain string `json:"grain"`
}

type spanJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type durationJSON struct {
	Seconds float64 `json:"seconds"`
}

// MarshalJSON writes e in the shape of contracts.md section 5: the value
// of a number is a JSON number, of an ordinal an integer, of money and
// quantities {"value","unit"}, of a datetime {"value","grain"} or, for a
// span, {"from","to"}, and of a duration {"seconds"}.
func (e Entity) MarshalJSON() ([]byte, error) {
	var v any
	switch e.Dim {
	case DimNumber:
		v = e.Num
	case DimOrdinal:
		v = int64(math.Round(e.Num))
	case DimMoney, DimQuantity:
		v = unitValueJSON{Value: e.Num, Unit: e.Unit}
	case DimDatetime:
		if e.Span {
			v = spanJSON{From: e.From.Format(time.RFC3339), To: e.To.Format(time.RFC3339)}
		} else {
			v = instantJSON{Value: e.Time.Format(time.RFC3339), Grain: e.Grain}
		}
	case DimDuration:
		v = durationJSON{Seconds: e.Seconds}
	default:
		return nil, fmt.Errorf("nlu: marshal entity: unknown dim %q", e.Dim)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("nlu: marshal %s entity: %w", e.Dim, err)
	}
	return json.Marshal(entityJSON{Dim: e.Dim, Text: e.Text, Start: e.Start, End: e.End, Value: raw})
}

// UnmarshalJSON reads the shape MarshalJSON writes. A datetime value
// with "from" and "to" sets Span; a duration sets both Seconds and Dur.
func (e *Entity) UnmarshalJSON(data []byte) error {
	var w entityJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("nlu: unmarshal entity: %w", err)
	}
	out := Entity{Dim: w.Dim, Text: w.Text, Start: w.Start, End: w.End}
	bad := func(err error) error {
		return fmt.Errorf("nlu: unmarshal %s entity value %s: %w", w.Dim, w.Value, err)
	}
	switch w.Dim {
	case DimNumber, DimOrdinal:
		if err := json.Unmarshal(w.Value, &out.Num); err != nil {
			return bad(err)
		}
	case DimMoney, DimQuantity:
		var v unitValueJSON
		if err := json.Unmarshal(w.Value, &v); err != nil {
			return bad(err)
		}
		out.Num, out.Unit = v.Value, v.Unit
	case DimDatetime:
		var v struct {
			Value string `json:"value"`
			Grain string `json:"grain"`
			From  string `json:"from"`
			To    string `json:"to"`
		}
		if err := json.Unmarshal(w.Value, &v); err != nil {
			return bad(err)
		}
		var err error
		if v.From != "" || v.To != "" {
			out.Span = true
			if out.From, err = time.Parse(time.RFC3339, v.From); err != nil {
				return bad(err)
			}
			if out.To, err = time.Parse(time.RFC3339, v.To); err != nil {
				return bad(err)
			}
		} else {
			if out.Time, err = time.Parse(time.RFC3339, v.Value); err != nil {
				return bad(err)
			}
			out.Grain = v.Grain
		}
	case DimDuration:
		var v durationJSON
		if err := json.Unmarshal(w.Value, &v); err != nil {
			return bad(err)
		}
		out.Seconds = v.Seconds
		out.Dur = time.Duration(v.Seconds * float64(time.Second))
	default:
		return fmt.Errorf("nlu: unmarshal entity: unknown dim %q", w.Dim)
	}
	*e = out
	return nil
}
