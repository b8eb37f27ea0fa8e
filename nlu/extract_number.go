package nlu

// Standalone numbers and ordinals.

// scanNumber proposes a plain number at p: any Arabic number; a
// Sino-Korean number only with a unit and a digit syllable (삼만,
// 이십오, not 이 "this", 일 "work" or 천만에요); a native numeral only
// in its standalone form of two syllables or 둘/셋/넷 (하나, 다섯, 열둘,
// not 한, 두, 세, 네 "yes", which need a counter).
func (x *extractor) scanNumber(p pos) {
	if p.sinoOK {
		n := p.sino
		switch n.form {
		case formArabic:
			if n.digitEnd && n.alt > p.i {
				n.end, n.val = n.alt, n.altVal
			}
			// A5, 5G; 010-1234-5678 and other codes joined by hyphens.
			if isASCIILetter(x.at(n.end)) || x.at(n.end) == '-' && isDigit(x.at(n.end+1)) {
				break
			}
			x.add(prioNumber, p.i, n.end, Entity{Dim: DimNumber, Num: n.val})
		case formSino:
			if !n.units || !n.sinoDigits || !x.leftFree(p.i) {
				break
			}
			// 삼만이 넘어: the final 이 after a myriad is the particle.
			if n.digitEnd && x.at(n.end-1) == '이' && n.alt > p.i {
				if _, big := bigUnit(x.at(n.alt - 1)); big {
					n.end, n.val = n.alt, n.altVal
				}
			}
			if n.end-p.i < 2 || !x.followOK(n.end, particleNext) {
				break
			}
			x.add(prioNumber, p.i, n.end, Entity{Dim: DimNumber, Num: n.val})
		}
	}
	if p.nativeOK {
		n := p.native
		single := n.end-p.i == 1
		if n.attributive || !x.leftFree(p.i) || !x.followOK(n.end, particleNext) {
			return
		}
		if single && !(x.has(p.i, "둘") || x.has(p.i, "셋") || x.has(p.i, "넷")) {
			return
		}
		if n.val == 1 && x.at(n.end) == '도' { // 하나도 없어: "none at all"
			return
		}
		x.add(prioNumber, p.i, n.end, Entity{Dim: DimNumber, Num: n.val})
	}
}

// scanOrdinal proposes an ordinal at p: 첫 번째, 첫째, 두 번째, 두번째,
// 셋째, 열한 번째, 2번째, 2번 (an item of a numbered list), 제3.
func (x *extractor) scanOrdinal(p pos) {
	add := func(end int, v float64) {
		x.add(prioOrdinal, p.i, end, Entity{Dim: DimOrdinal, Num: v})
	}
	// 번째 after an optional space, or 째 right after the numeral.
	suffix := func(j int, allowJjae bool) (int, bool) {
		k := x.space1(j)
		if _, e, ok := x.word(k, "번째", "번 째"); ok {
			return e, true
		}
		if allowJjae && x.at(j) == '째' {
			return j + 1, true
		}
		return 0, false
	}
	if x.at(p.i) == '첫' {
		if e, ok := suffix(p.i+1, true); ok {
			add(e, 1)
			return
		}
	}
	if p.nativeOK {
		if e, ok := suffix(p.native.end, x.leftFree(p.i)); ok {
			add(e, p.native.val)
			return
		}
	}
	if p.sinoOK && p.sino.form == formArabic && !p.sino.units && p.sino.val == float64(int64(p.sino.val)) {
		j := p.sino.end
		if e, ok := suffix(j, true); ok {
			add(e, p.sino.val)
			return
		}
		if x.at(j) == '번' && x.followOK(j+1, particleNext+"메꺼거주으할해") {
			add(j+1, p.sino.val)
			return
		}
	}
	if x.at(p.i) == '제' && x.leftFree(p.i) {
		k := x.space1(p.i + 1)
		n, ok := scanSinoArabic(x.rs, k)
		if ok && n.val >= 1 && n.val == float64(int64(n.val)) && (n.form == formArabic || k == p.i+1) {
			add(n.end, n.val)
		}
	}
}
