package catalog

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCSVMatchesJSONL(t *testing.T) {
	want, errs := readAll(t, lines(goodMerchant, goodItem, goodEvent, goodSession), FormatJSONL)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tests := []struct {
		name string
		csv  string
	}{
		{
			name: "one file with a kind column, short forms",
			csv: `kind,id,name,brand,category,address,lat,lng,opens,closes,delivery_fee,min_order,merchant_id,aliases,price,options,discount_percent,discount_until,title,performer,venue,subscriber_only,channel_id,event_id,starts_at,seats
merchant,m-1,교동치킨 혜화점,교동치킨,치킨,서울 종로구 대학로 100,37.5822,127.0019,11:00,24:00,"3,000",15000,,,,,,,,,,,,,,
menu_item,i-1,후라이드치킨,,,,,,,,,,m-1,후라이드|프라이드,18000,순살:2000,10,2026-11-30T23:59:00+09:00,,,,,,,,
event,e-1,,,콘서트,,,,,,,,,,,,,,아이유 콘서트 〈HEREH〉,아이유,KSPO DOME,false,ch-edam,,,
session,s-1,,,,,,,,,,,,,,,,,,,,,,e-1,2026-12-24T19:00:00+09:00,VIP:165000:100|R:143000:0
`,
		},
		{
			name: "JSON cells",
			csv: `kind,id,name,brand,category,address,lat,lng,opens,closes,delivery_fee,min_order,merchant_id,aliases,price,options,discount_percent,discount_until,title,performer,venue,subscriber_only,channel_id,event_id,starts_at,seats
merchant,m-1,교동치킨 혜화점,교동치킨,치킨,서울 종로구 대학로 100,37.5822,127.0019,11:00,24:00,3000,15000,,,,,,,,,,,,,,
menu_item,i-1,후라이드치킨,,,,,,,,,,m-1,"[""후라이드"", ""프라이드""]",18000,"[{""name"": ""순살"", ""price"": 2000}]",10,2026-11-30T23:59:00+09:00,,,,,,,,
event,e-1,,,콘서트,,,,,,,,,,,,,,아이유 콘서트 〈HEREH〉,아이유,KSPO DOME,,ch-edam,,,
session,s-1,,,,,,,,,,,,,,,,,,,,,,e-1,2026-12-24T19:00:00+09:00,"{""VIP"": {""price"": 165000, ""available"": 100}, ""R"": {""price"": 143000, ""available"": 0}}"
`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := readAll(t, tc.csv, FormatCSV)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("records (-jsonl +csv):\n%s", diff)
			}
		})
	}
}

func TestCSVFilePerKind(t *testing.T) {
	tests := []struct {
		name, csv string
		wantKind  string
	}{
		{"merchants", "id,name,category,lat,lng,opens,closes\nm-1,동숭다방,카페,37.58,127.0,10:00,23:00\n", KindMerchant},
		{"menu items", "id,merchant_id,name,price\ni-1,m-1,아메리카노,4500\n", KindMenuItem},
		{"events", "id,title,category\ne-1,연극 〈라면〉,연극\n", KindEvent},
		{"sessions", "id,event_id,starts_at,seats\ns-1,e-1,2026-11-28T15:00:00+09:00,전석:30000:80\n", KindSession},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := readAll(t, tc.csv, FormatCSV)
			if len(errs) > 0 || len(recs) != 1 || recs[0].Kind != tc.wantKind {
				t.Errorf("records %+v, errors %v; want one %s", recs, errs, tc.wantKind)
			}
		})
	}
}

func TestCSVBadRows(t *testing.T) {
	src := `id,merchant_id,name,price,discount_percent,options,memo
i-1,m-1,짜장면,7000,,곱빼기:1000,any text is ignored

i-2,m-1,짬뽕,팔천원,,,
i-3,m-1,탕수육,16000,10,
i-4,m-1,,9000,,,
"i-5",m-1,"군만두,6000,,,
`
	recs, errs := readAll(t, src, FormatCSV)
	if len(recs) != 1 || recs[0].MenuItem.Options[0].Price != 1000 {
		t.Errorf("records %+v, want i-1 with its option", recs)
	}
	want := []string{
		`line 4: menu_item i-2: price: "팔천원" is not an integer`,
		"line 5: 6 cells, want 7 as in the header",
		"line 6: menu_item i-4: name is required",
		"line 7: CSV: extraneous or missing \" in quoted-field",
	}
	if diff := cmp.Diff(want, errorTexts(errs)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestCSVBadHeader(t *testing.T) {
	for name, src := range map[string]string{
		"no id":        "name,price\n짜장면,7000\n",
		"twice":        "id,name,name\ni-1,a,b\n",
		"unnamed":      "id,,name\ni-1,,a\n",
		"empty header": "",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(src), FormatCSV).Next()
			if err == nil {
				t.Fatal("Next = nil, want an error")
			}
			if _, ok := err.(*LineError); ok {
				t.Errorf("Next = %v, a line error; want a final error", err)
			}
		})
	}
}
