package nlu

import "strings"

// Money and quantities: a number followed by a currency or a counter.

type currency struct {
	word, code string
	// tight words are also common syllables (불 fire, 엔 a contraction
	// of 에는), so they must end the word.
	tight bool
}

// Currency words after a number, longer first. ASCII codes are matched
// without regard to case.
var currencySuffixes = []currency{
	{"달러", "USD", false}, {"유로", "EUR", false}, {"위안", "CNY", false},
	{"파운드", "GBP", false}, {"원", "KRW", false}, {"불", "USD", true}, {"엔", "JPY", true},
	{"dollars", "USD", false}, {"dollar", "USD", false}, {"won", "KRW", false},
	{"usd", "USD", false}, {"krw", "KRW", false}, {"eur", "EUR", false},
	{"jpy", "JPY", false}, {"cny", "CNY", false}, {"gbp", "GBP", false},
}

// currencyPrefixes come before the number: ₩15,000, $20, USD 20.
var currencyPrefixes = []currency{
	{"₩", "KRW", false}, {"￦", "KRW", false}, {"$", "USD", false}, {"€", "EUR", false},
	{"£", "GBP", false}, {"¥", "JPY", false},
	{"usd", "USD", false}, {"krw", "KRW", false}, {"eur", "EUR", false},
	{"jpy", "JPY", false}, {"cny", "CNY", false}, {"gbp", "GBP", false},
}

// wonBlocked are syllables after 원 that make it another word: 원래
// (originally), 원두 (coffee beans), 원피스, 원룸, 원샷.
const wonBlocked = "래두피룸샷형칙본작탁"

// matchCurrency finds one of cs at i, ASCII without regard to case,
// and checks that an ASCII or tight word ends there.
func (x *extractor) matchCurrency(i int, cs []currency) (currency, int, bool) {
	for _, c := range cs {
		e, ok := x.hasFold(i, c.word)
		if !ok {
			continue
		}
		if isASCIILetter(rune(c.word[0])) && isASCIILetter(x.at(e)) {
			continue
		}
		if c.tight && !x.followOK(e, particleNext) {
			continue
		}
		if c.word == "원" && strings.ContainsRune(wonBlocked, x.at(e)) {
			continue
		}
		return c, e, true
	}
	return currency{}, i, false
}

// hasFold is has, folding ASCII case.
func (x *extractor) hasFold(i int, w string) (int, bool) {
	for _, r := range w {
		c := x.at(i)
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if i >= len(x.rs) || c != r {
			return i, false
		}
		i++
	}
	return i, true
}

// bigOrSmallUnit returns the value of 십, 백, 천, 만, 억 or 조.
func bigOrSmallUnit(r rune) (float64, bool) {
	if u, ok := smallUnit(r); ok {
		return u, true
	}
	return bigUnit(r)
}

// moneyNumber reports whether n may be an amount: any Arabic number, or
// a Sino-Korean one with a unit (삼만, 만, 오천; not 일 or 구).
func moneyNumber(n numScan) bool {
	return n.form == formArabic || n.form == formSino && n.units
}

// scanMoney proposes an amount at p: 15,000원, 2만5천원, 1.5만원, 만 원,
// 삼만원, ₩15,000, $20, 20달러, USD 20.
func (x *extractor) scanMoney(p pos) {
	if c, e, ok := x.matchCurrency(p.i, currencyPrefixes); ok {
		k := x.space1(e)
		if n, ok := scanSinoArabic(x.rs, k); ok && n.form == formArabic && x.arabicLeftOK(k) {
			end := n.end
			if _, e2, ok := x.word(end, "원"); ok && c.code == "KRW" {
				end = e2
			}
			x.add(prioMoney, p.i, end, Entity{Dim: DimMoney, Num: n.val, Unit: c.code})
		}
		return
	}
	if !p.sinoOK || !moneyNumber(p.sino) {
		return
	}
	n := p.sino
	k := x.space1(n.end)
	// 3 만원, 5 천 원: digits, a space, then the unit.
	if n.form == formArabic && !n.units && k > n.end {
		if u, ok := bigOrSmallUnit(x.at(k)); ok && x.at(x.space1(k+1)) == '원' {
			n.val = roundNum(n.val * u)
			k = x.space1(k + 1)
		}
	}
	c, e, ok := x.matchCurrency(k, currencySuffixes)
	if !ok {
		return
	}
	x.add(prioMoney, p.i, e, Entity{Dim: DimMoney, Num: n.val, Unit: c.code})
}

type counter struct {
	word string
	// tight counters are one common syllable (개, 장, 판) and must end
	// the word: 한 판 but not 판매, 두 개 but not 개월.
	tight bool
	// sino counters also take a bare Sino-Korean digit: 이인분.
	sino bool
	// nativeOnly counters mean something else after digits: 2분 is two
	// minutes, 두 분 two people.
	nativeOnly bool
	// noNative counters never follow a native numeral.
	noNative bool
}

// counters are the units of quantity, longer words first.
var counters = []counter{
	{word: "인분", sino: true, noNative: true}, {word: "마리"}, {word: "세트"}, {word: "그릇"},
	{word: "접시"}, {word: "조각"}, {word: "박스"}, {word: "봉지"}, {word: "송이"},
	{word: "켤레"}, {word: "리터"}, {word: "킬로그램"}, {word: "킬로"}, {word: "키로"},
	{word: "그램"}, {word: "밀리리터"},
	{word: "판", tight: true}, {word: "개", tight: true}, {word: "잔", tight: true},
	{word: "병", tight: true}, {word: "장", tight: true}, {word: "매", tight: true},
	{word: "명", tight: true}, {word: "석", tight: true}, {word: "캔", tight: true},
	{word: "컵", tight: true}, {word: "팩", tight: true}, {word: "통", tight: true},
	{word: "줄", tight: true}, {word: "봉", tight: true},
	{word: "분", tight: true, nativeOnly: true}, {word: "인", tight: true, noNative: true},
	{word: "㎏"}, {word: "㎖"}, {word: "ℓ"}, {word: "㎎"},
}

// asciiUnits are measures written in Latin letters, matched without
// regard to case and reported as written.
var asciiUnits = []string{"kg", "mg", "ml", "cc", "g", "l"}

// scanQuantity proposes a number with its counter at p: 두 마리, 한판,
// 3개, 이인분, 콜라 1.5L, 500ml.
func (x *extractor) scanQuantity(p pos) {
	// 반 마리: half of one.
	if x.at(p.i) == '반' && (x.leftFree(p.i) || x.has(p.i+1, "마리")) {
		x.quantityAfter(p, numScan{val: 0.5, end: p.i + 1, form: formHalf})
	}
	if p.nativeOK {
		x.quantityAfter(p, p.native)
	}
	if p.sinoOK {
		x.quantityAfter(p, p.sino)
	}
}

func (x *extractor) quantityAfter(p pos, n numScan) {
	if n.form == formSino && !n.units && n.end-p.i > 1 {
		return
	}
	if n.form == formSino && n.units && (!n.sinoDigits || !x.leftFree(p.i)) {
		return
	}
	k := x.space1(n.end)
	// Measures in Latin letters: 1.5L, 500 ml.
	if n.form == formArabic {
		j := k
		for j < len(x.rs) && isASCIILetter(x.rs[j]) {
			j++
		}
		if j > k {
			run := strings.ToLower(string(x.rs[k:j]))
			for _, u := range asciiUnits {
				if run == u {
					x.add(prioQuantity, p.i, j, Entity{Dim: DimQuantity, Num: n.val, Unit: string(x.rs[k:j])})
					return
				}
			}
			if run == "pcs" || run == "ea" {
				x.add(prioQuantity, p.i, j, Entity{Dim: DimQuantity, Num: n.val, Unit: string(x.rs[k:j])})
			}
			return
		}
	}
	for _, c := range counters {
		e, ok := x.hasFold(k, c.word)
		if !ok {
			continue
		}
		if !x.counterFits(p, n, c, e) {
			return
		}
		v, end := n.val, e
		// 한 마리 반: and a half.
		if h := x.space1(e); x.at(h) == '반' && x.followOK(h+1, particleNext) && n.form != formHalf {
			v, end = v+0.5, h+1
		}
		x.add(prioQuantity, p.i, end, Entity{Dim: DimQuantity, Num: v, Unit: string(x.rs[k:e])})
		return
	}
}

// counterBlocked lists, for each one-syllable counter, the syllables
// that make it the start of another word: 판매, 개월, 병원, 장미, 명동.
var counterBlocked = map[string]string{
	"판": "매단교결사정타다",
	"개": "월업장인발선념방최점봉별통미그성편국시막학강정구",
	"잔": "액디치소고여반뜩",
	"병": "원실아명",
	"장": "소난님사마바점르애어면기학관보식인미",
	"매": "장운콤일주달번진표니력너실년출직우",
	"명": "동품함절소단령랑분예작태란대",
	"석": "사류양유쇠탄",
	"캔": "들디버",
	"컵": "밥케라",
	"팩": "트스",
	"통": "닭장화신해역째조증계합보",
	"줄": "기임서거",
	"봉": "사투골급",
	"분": "식위리명량노석야점홍",
	"인": "기사터증정원상천간생형테근도쇄하물수재연",
}

// counterFits reports whether counter c, ending at e, may follow n.
func (x *extractor) counterFits(p pos, n numScan, c counter, e int) bool {
	if c.tight && !x.followOK(e, amountNext) && strings.ContainsRune(counterBlocked[c.word], x.at(e)) {
		return false
	}
	// 두통 is a headache, not two tubs.
	if c.word == "통" && n.form == formNative && x.at(p.i) == '두' && n.end == e-1 {
		return false
	}
	switch n.form {
	case formHalf:
		return !c.noNative && !c.nativeOnly
	case formNative:
		if c.noNative {
			return false
		}
		// The old forms 석, 넉 (three, four) live on only before a few
		// counters: 석 잔, 넉 장; 서, 너 before none of ours.
		if n.end-p.i == 1 {
			switch x.at(p.i) {
			case '석', '넉':
				return c.word == "잔" || c.word == "장"
			case '서', '너':
				return false
			}
		}
	case formSino:
		if c.nativeOnly {
			return false
		}
		if !n.units && !c.sino {
			return false
		}
	case formArabic:
		if c.nativeOnly {
			return false
		}
	}
	return true
}
