package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// attach says after which kind of syllable a particle may follow a noun.
type attach uint8

const (
	afterAny       attach = iota
	afterFinal            // after a syllable with 받침: 을, 은, 이, 과, 으로
	afterVowel            // after a syllable without 받침: 를, 는, 가, 와, 로
	afterVowelOrL         // 로: after a vowel or a ㄹ 받침 (서울로, 피자로)
	afterFinalNotL        // 으로: after 받침 other than ㄹ (교촌으로)
)

// particle is a case or auxiliary particle (조사) that may close a noun.
type particle struct {
	text string
	when attach
}

// particles lists the particles StripParticle removes, longest first so
// that 에서 wins over 서 and 이랑 over 랑. Read-only.
var particles = []particle{
	{"에서부터", afterAny}, {"으로는", afterFinalNotL}, {"이랑은", afterFinal},
	{"에서는", afterAny}, {"에게서", afterAny}, {"한테서", afterAny}, {"까지는", afterAny},
	{"이라도", afterFinal}, {"이에요", afterFinal},
	{"에서", afterAny}, {"으로", afterFinalNotL}, {"이랑", afterFinal}, {"하고", afterAny},
	{"한테", afterAny}, {"에게", afterAny}, {"까지", afterAny}, {"부터", afterAny},
	{"이나", afterFinal}, {"이요", afterFinal}, {"처럼", afterAny}, {"보다", afterAny},
	{"라도", afterVowel}, {"예요", afterVowel}, {"로는", afterVowelOrL}, {"에는", afterAny},
	{"이든", afterFinal}, {"든지", afterAny}, {"마다", afterAny}, {"밖에", afterAny},
	{"을", afterFinal}, {"를", afterVowel}, {"이", afterFinal}, {"가", afterVowel},
	{"은", afterFinal}, {"는", afterVowel}, {"과", afterFinal}, {"와", afterVowel},
	{"에", afterAny}, {"로", afterVowelOrL}, {"랑", afterVowel}, {"도", afterAny},
	{"만", afterAny}, {"의", afterAny}, {"께", afterAny}, {"나", afterVowel},
	{"요", afterAny},
}

// particleKeep lists words whose ending only looks like a particle: the
// whole word is a noun (떡볶이 is not 떡볶 + 이). Read-only.
var particleKeep = map[string]bool{
	"떡볶이": true, "김말이": true, "바나나": true, "사이다": true, "오징어": true,
	"제주도": true, "경기도": true, "강원도": true, "전라도": true, "경상도": true,
	"충청도": true, "울릉도": true, "독도": true, "아니요": true, "고양이": true,
	"어린이": true, "갈매기": true, "누룽지": true, "꽈배기": true, "순두부": true,
	"와플": true, "닭꼬치": true, "오코노미야끼": true, "돈까스": true, "하나": true,
	"어디": true, "여기": true, "거기": true, "저기": true, "이거": true, "그거": true,
	"저거": true, "나도": true, "나는": true, "내가": true, "제가": true, "저는": true,
	"이번에": true, "처음": true, "다음": true, "지금": true, "오늘": true, "내일": true,
}

// verbBeforeYo lists syllables after which 요 closes a verb (주세요, 해요,
// 돼요, 맞아요) rather than follows a noun (콜라요). Read-only.
const verbBeforeYo = "세어아해여워와줘돼네게래까죠지데나고거서니군걸예에야봐져려켜셔쳐겨혀텨펴대채매내새"

// StripParticle removes one trailing particle (조사) from a word: 치킨을 →
// 치킨, 강남역에서 → 강남역, 교촌으로 → 교촌, 아이유랑 → 아이유, 콜라요 → 콜라.
// A particle is removed only when it agrees with the syllable before it
// (을 after 받침, 를 after a vowel ...) and at least two syllables remain,
// so nouns that end like a particle stay whole: 사이다, 오징어, 콜라, 포도.
func StripParticle(word string) string {
	if particleKeep[word] {
		return word
	}
	for _, p := range particles {
		stem, ok := strings.CutSuffix(word, p.text)
		if !ok || utf8.RuneCountInString(stem) < 2 {
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(stem)
		if !isSyllable(last) {
			// Latin brands take particles too (BBQ로, bhc에서), but a
			// stem must end in a letter or digit.
			if !unicode.IsLetter(last) && !unicode.IsDigit(last) {
				continue
			}
		} else if !agrees(p.when, last) {
			continue
		}
		if p.text == "요" && strings.ContainsRune(verbBeforeYo, last) {
			continue
		}
		return stem
	}
	return word
}

// agrees reports whether a particle attaching as w may follow syllable r.
func agrees(w attach, r rune) bool {
	switch w {
	case afterFinal:
		return hasFinal(r)
	case afterVowel:
		return !hasFinal(r)
	case afterVowelOrL:
		return !hasFinal(r) || finalIs(r, 'ㄹ')
	case afterFinalNotL:
		return hasFinal(r) && !finalIs(r, 'ㄹ')
	}
	return true
}

// Tokens splits s into normalised words with their particles stripped.
// Punctuation separates words and is dropped, except inside numbers
// (15,000, 1.5); emoji are words of their own.
func Tokens(s string) []string {
	return appendTokens(nil, Normalize(s))
}

// appendTokens appends the words of the normalised text s to out.
func appendTokens(out []string, s string) []string {
	start := -1
	flush := func(end int) {
		if start >= 0 {
			if w := StripParticle(s[start:end]); w != "" {
				out = append(out, w)
			}
			start = -1
		}
	}
	for i, r := range s {
		if isTokenRune(r) || (r == ',' || r == '.') && inNumber(s, i) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		if isEmojiPart(r, false) {
			out = append(out, string(r))
		}
	}
	flush(len(s))
	return out
}

// isTokenRune reports whether r belongs inside a word.
func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || r == '\'' || r == '&'
}

// inNumber reports whether the byte at i of s sits between two digits.
func inNumber(s string, i int) bool {
	return i > 0 && i+1 < len(s) && s[i-1] >= '0' && s[i-1] <= '9' && s[i+1] >= '0' && s[i+1] <= '9'
}

// requestEndings are the endings with which users ask for something, as
// written after normalisation, longest first. Read-only.
var requestEndings = []string{
	"해주시겠어요", "부탁드립니다", "부탁드려요", "해주실래요", "시켜주세요", "해주십시오",
	"해주세요", "해줄래요", "부탁해요", "시켜줄래", "주시겠어요", "해주라", "주실래요",
	"시켜줘요", "할께요", "할게요", "할래요", "해줘요", "시켜줘", "시킬게", "시킬께",
	"부탁해", "해줄래", "드릴게요", "주세요", "줄래요", "할게", "할께", "할래", "해줘",
	"시켜", "ㄱㄱ", "고고", "줘요", "줄래", "주라", "해요", "줘", "ㄱ", "요",
}

// RequestEnding splits a message into its stem and the request ending
// that closes it (취소해줘 → 취소, 해줘; 치킨시켜줘 → 치킨, 시켜줘;
// 주문ㄱ → 주문, ㄱ). Trailing punctuation, emoji and laughter (ㅋㅋ, ㅎㅎ,
// ㅠㅠ) are ignored. ending is "" when there is none, and stem is then the
// normalised message without its trailing decoration.
func RequestEnding(s string) (stem, ending string) {
	return requestEnding(Normalize(s))
}

// requestEnding is RequestEnding on a normalised text.
func requestEnding(s string) (stem, ending string) {
	s = trimDecoration(s)
	for _, e := range requestEndings {
		rest, ok := strings.CutSuffix(s, e)
		if !ok {
			continue
		}
		rest = strings.TrimRight(rest, " ")
		last, _ := utf8.DecodeLastRuneInString(rest)
		switch e {
		case "ㄱ":
			// 주문ㄱ, 치킨ㄱ: a lone ㄱ only after a syllable.
			if !isSyllable(last) {
				continue
			}
		case "요":
			// 아니요 and 네요 are answers, not requests; 주세요 is matched above.
			if rest == "" || rest == "아니" || rest == "네" || rest == "예" {
				continue
			}
		case "줘", "주라", "줄래", "줘요":
			// 해줘 and 시켜줘 are matched above; here the stem is what is wanted.
		}
		if rest == "" && e != "ㄱㄱ" && e != "고고" {
			continue
		}
		return rest, e
	}
	return s, ""
}

// IsRequestEnding reports whether s ends with a request ending.
func IsRequestEnding(s string) bool {
	_, e := RequestEnding(s)
	return e != ""
}

// trimDecoration removes trailing punctuation, emoji, spaces and laughter
// or crying jamo.
func trimDecoration(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool {
		switch r {
		case 'ㅋ', 'ㅎ', 'ㅠ', 'ㅜ', 'ㅡ':
			return true
		}
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) ||
			isEmojiPart(r, true)
	})
}
