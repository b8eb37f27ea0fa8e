package nlu

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

// trainingPath is the project's training set; the evals package embeds it.
const trainingPath = "../evals/testdata/nlu_train.jsonl"

func loadTraining(tb testing.TB) []Example {
	tb.Helper()
	f, err := os.Open(trainingPath)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	ex, err := ReadExamples(f)
	if err != nil {
		tb.Fatal(err)
	}
	return ex
}

func TestIntents(t *testing.T) {
	in := Intents()
	if len(in) != 22 {
		t.Fatalf("Intents() has %d intents, want 22", len(in))
	}
	seen := map[string]bool{}
	for _, s := range in {
		if seen[s] {
			t.Errorf("intent %q listed twice", s)
		}
		seen[s] = true
	}
	for _, want := range []string{IntentGreet, IntentAffirm, IntentCheckout, IntentSubscribeChannel, IntentOutOfScope} {
		if !seen[want] {
			t.Errorf("Intents() lacks %q", want)
		}
	}
	in[0] = "changed"
	if Intents()[0] != IntentGreet {
		t.Error("Intents() returns a shared slice")
	}
}

func TestReadExamples(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    int
		wantErr string
	}{
		{"two lines", `{"text":"네","intent":"affirm"}` + "\n" + `{"text":"아니요","intent":"deny"}`, 2, ""},
		{"blank lines and CRLF", "\n" + `{"text":"네","intent":"affirm"}` + "\r\n\n", 1, ""},
		{"slots", `{"text":"치킨 두 마리","intent":"add_to_order","slots":{"items":[{"name":"치킨","quantity":2}]}}`, 1, ""},
		{"extra keys allowed", `{"text":"네","intent":"affirm","id":"x-1"}`, 1, ""},
		{"empty input", "", 0, ""},
		{"bad json names its line", `{"text":"네","intent":"affirm"}` + "\n" + `{"text": 네}`, 0, "line 2"},
		{"missing text", `{"intent":"affirm"}`, 0, "line 1: no text"},
		{"missing intent", "\n\n" + `{"text":"네"}`, 0, "line 3: no intent"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadExamples(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ReadExamples error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadExamples: %v", err)
			}
			if len(got) != tc.want {
				t.Errorf("ReadExamples read %d examples, want %d", len(got), tc.want)
			}
		})
	}
}

func TestTrainClassifierErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []Example
		want string
	}{
		{"no examples", nil, "no examples"},
		{"unknown intent", []Example{{Text: "네", Intent: "affirm"}, {Text: "뭐", Intent: "order_pizza"}}, `unknown intent "order_pizza"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := TrainClassifier(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("TrainClassifier error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// evaluation holds the figures of a classifier on labelled examples.
type evaluation struct {
	accuracy, macroF1, ece float64
	errors                 []string
}

func evaluate(c *Classifier, examples []Example) evaluation {
	var (
		correct    int
		tp, fp, fn = map[string]int{}, map[string]int{}, map[string]int{}
		ev         evaluation
	)
	const bins = 10
	var binN [bins]int
	var binConf, binAcc [bins]float64
	for _, ex := range examples {
		got, conf := c.Classify(ex.Text)
		ok := got == ex.Intent
		if ok {
			correct++
			tp[got]++
		} else {
			fp[got]++
			fn[ex.Intent]++
			ev.errors = append(ev.errors, fmt.Sprintf("%q: want %s, got %s (%.2f)", ex.Text, ex.Intent, got, conf))
		}
		b := min(int(conf*bins), bins-1)
		binN[b]++
		binConf[b] += conf
		if ok {
			binAcc[b]++
		}
	}
	n := float64(len(examples))
	ev.accuracy = float64(correct) / n
	intents := Intents()
	for _, in := range intents {
		p, r := 0.0, 0.0
		if tp[in]+fp[in] > 0 {
			p = float64(tp[in]) / float64(tp[in]+fp[in])
		}
		if tp[in]+fn[in] > 0 {
			r = float64(tp[in]) / float64(tp[in]+fn[in])
		}
		if p+r > 0 {
			ev.macroF1 += 2 * p * r / (p + r)
		}
	}
	ev.macroF1 /= float64(len(intents))
	for b := range bins {
		if binN[b] > 0 {
			ev.ece += math.Abs(binAcc[b]-binConf[b]) / n
		}
	}
	return ev
}

// holdOut splits the training set into a fixed 80% to train on and 20%
// to test on, every fifth example of each intent. The training set holds
// variants of some messages (without spaces, with a typo, with ㅋㅋ), so a
// training example of the same intent as a test example that differs from
// it by at most one jamo, once spaces and trailing decoration are removed,
// is left out of training: the test then measures messages not seen in any
// form.
func holdOut(examples []Example) (train, test []Example) {
	classOf := map[string]int{}
	for i, in := range Intents() {
		classOf[in] = i
	}
	labels := make([]int, len(examples))
	for i, ex := range examples {
		labels[i] = classOf[ex.Intent]
	}
	tr, te := splitStratified(labels, len(classOf), 0.2)
	test = subset(examples, te)
	key := func(s string) string { return Compact(trimDecoration(Normalize(s))) }
	for _, ex := range subset(examples, tr) {
		k := key(ex.Text)
		leak := false
		for _, t := range test {
			if t.Intent != ex.Intent {
				continue
			}
			tk := key(t.Text)
			if d := len(tk) - len(k); d >= -3 && d <= 3 && JamoDistance(k, tk) <= min(len(k)/6, 1) {
				leak = true
				break
			}
		}
		if !leak {
			train = append(train, ex)
		}
	}
	return train, test
}

// The floors below sit a little under the figures measured on the
// training set as committed (accuracy 0.94, macro F1 0.94, ECE 0.02 on
// 582 held-out messages), so that a change that loses accuracy fails here.
func TestClassifierHoldOut(t *testing.T) {
	train, test := holdOut(loadTraining(t))
	c, err := TrainClassifier(train)
	if err != nil {
		t.Fatal(err)
	}
	ev := evaluate(c, test)
	t.Logf("trained on %d, hold-out of %d: accuracy %.4f, macro F1 %.4f, ECE %.4f, temperature %.2f",
		len(train), len(test), ev.accuracy, ev.macroF1, ev.ece, c.temp)
	for _, e := range ev.errors {
		t.Log(e)
	}
	if ev.accuracy < 0.93 {
		t.Errorf("hold-out accuracy %.4f, want >= 0.93", ev.accuracy)
	}
	if ev.macroF1 < 0.93 {
		t.Errorf("hold-out macro F1 %.4f, want >= 0.93", ev.macroF1)
	}
	if ev.ece > 0.08 {
		t.Errorf("hold-out ECE %.4f, want <= 0.08", ev.ece)
	}
}

func TestClassifierDeterministic(t *testing.T) {
	examples := loadTraining(t)
	a, err := TrainClassifier(examples)
	if err != nil {
		t.Fatal(err)
	}
	b, err := TrainClassifier(examples)
	if err != nil {
		t.Fatal(err)
	}
	if a.temp != b.temp || !slices.Equal(a.weights, b.weights) || !slices.Equal(a.bias, b.bias) {
		t.Fatal("two trainings on the same examples gave different models")
	}
	for _, text := range []string{"치킨 두 마리 시켜줘", "네", "내일 날씨 어때", "아이유 콘서트 예매"} {
		sa, sb := a.Scores(text), b.Scores(text)
		for in, p := range sa {
			if sb[in] != p {
				t.Errorf("Scores(%q)[%s] = %v and %v", text, in, p, sb[in])
			}
		}
	}
}

// classifier trains one classifier on the whole training set per test.
func classifier(t *testing.T) *Classifier {
	t.Helper()
	c, err := TrainClassifier(loadTraining(t))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClassify(t *testing.T) {
	c := classifier(t)
	tests := []struct {
		text, want string
	}{
		// Pairs that are easy to confuse.
		{"그걸로 할게요", IntentAffirm},
		{"응 그렇게 해", IntentAffirm},
		{"치즈볼도 하나 추가요", IntentAddToOrder},
		{"아니요", IntentDeny},
		{"주문 취소해줘", IntentCancelOrder},
		{"사이다 빼주세요", IntentModifyOrder},
		{"세 마리로 바꿔줘", IntentModifyOrder},
		{"콜라도 추가", IntentAddToOrder},
		{"굽네 메뉴 보여줘", IntentBrowseMenu},
		{"강남역 근처 족발집 찾아줘", IntentSearchMerchant},
		{"할인 쿠폰 있나요?", IntentAskPromotion},
		{"배달비 얼마예요", IntentMerchantInfo},
		{"떡볶이 언제 와요?", IntentOrderStatus},
		{"배달 너무 늦어요 한 시간 넘었어요", IntentFileComplaint},
		{"카카오페이로 결제할게", IntentCheckout},
		{"이대로 주문해줘", IntentCheckout},
		{"임영웅 콘서트 언제 해?", IntentSearchEvent},
		{"임영웅 콘서트 R석 두 장 예매해줘", IntentBookTicket},
		{"예매 취소할게요", IntentCancelBooking},
		{"지난번이랑 똑같이 시켜줘", IntentReorder},
		{"교촌 채널 추가할게", IntentSubscribeChannel},
		{"고마워요", IntentThanks},
		{"안녕하세요", IntentGreet},
		{"수고하세요", IntentGoodbye},
		{"뭐 할 수 있어?", IntentHelp},
		{"내일 날씨 어때?", IntentOutOfScope},
		// Typing as it comes.
		{"후리이드한마리주믄", IntentAddToOrder},
		{"결재할게여", IntentCheckout},
		{"ㅇㅋ", IntentAffirm},
		{"ㄴㄴ", IntentDeny},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got, conf := c.Classify(tc.text)
			if got != tc.want {
				t.Errorf("Classify(%q) = %s (%.2f), want %s", tc.text, got, conf, tc.want)
			}
			if conf <= 0 || conf > 1 {
				t.Errorf("Classify(%q) confidence %v outside (0, 1]", tc.text, conf)
			}
		})
	}
}

// TestClassifyStoreBranch checks that naming a store's branch (역삼점,
// 강남점, 본점) leaves the intent as it is for the store alone.
func TestClassifyStoreBranch(t *testing.T) {
	c := classifier(t)
	tests := []struct {
		name, text, want string
	}{
		{"order at a catalogued branch", "김밥천국 역삼점에서 참치김밥 4개 주문할게요", IntentAddToOrder},
		{"order at the same store without branch", "김밥천국에서 참치김밥 4개 주문할게요", IntentAddToOrder},
		{"order at another branch", "김밥천국 강남점에서 참치김밥 4개 주문할게요", IntentAddToOrder},
		{"order at a station branch", "김밥천국 홍대입구점에서 참치김밥 4개 주문할게요", IntentAddToOrder},
		{"order at the head store", "김밥천국 본점에서 참치김밥 4개 주문할게요", IntentAddToOrder},
		{"branch glued to the brand", "김밥천국역삼점에서 참치김밥 4개 주문할게요", IntentAddToOrder},
		{"시켜줘 at a branch", "김밥천국 역삼점에서 참치김밥 4개 시켜줘", IntentAddToOrder},
		{"시켜줘 at a store", "김밥천국에서 참치김밥 4개 시켜줘", IntentAddToOrder},
		{"branch with latin letters", "스타벅스 강남R점에서 아메리카노 2잔 주문할게요", IntentAddToOrder},
		{"cancel at a branch", "김밥천국 역삼점 주문 취소해 주세요", IntentCancelOrder},
		{"cancel at the head store", "김밥천국 본점 주문 취소해 주세요", IntentCancelOrder},
		{"cancel naming only the branch", "역삼점 주문 취소할게요", IntentCancelOrder},
		{"delivery fee of a branch", "교동치킨 혜화점 배달비 얼마예요?", IntentMerchantInfo},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, conf := c.Classify(tc.text); got != tc.want {
				t.Errorf("Classify(%q) = %s (%.2f), want %s", tc.text, got, conf, tc.want)
			}
		})
	}
}

func TestClassifyBadInput(t *testing.T) {
	c := classifier(t)
	intents := Intents()
	tests := []struct {
		name string
		text string
		want string // "" accepts any intent
	}{
		{"empty", "", IntentOutOfScope},
		{"white space", " \t\n ", IntentOutOfScope},
		{"invalid utf-8", "\xff\xfe\xfd", IntentOutOfScope},
		{"only emoji", "🙂🙃", ""},
		{"only punctuation", "?!.", ""},
		{"mixed scripts", "Привет 你好 こんにちは", IntentOutOfScope},
		{"ten thousand characters", strings.Repeat("치킨", 5000), ""},
		{"long unrelated text", strings.Repeat("lorem ipsum dolor sit amet ", 400), IntentOutOfScope},
		{"control characters", "\x00\x01\x02", IntentOutOfScope},
		{"invalid utf-8 inside a request", "치킨 \xff두 마리 시켜줘", IntentAddToOrder},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, conf := c.Classify(tc.text)
			if !slices.Contains(intents, got) {
				t.Fatalf("Classify(%q) = %q, not an intent", tc.text, got)
			}
			if tc.want != "" && got != tc.want {
				t.Errorf("Classify = %s (%.2f), want %s", got, conf, tc.want)
			}
			if math.IsNaN(conf) || conf < 0 || conf > 1 {
				t.Errorf("confidence %v outside [0, 1]", conf)
			}
			sum := 0.0
			scores := c.Scores(tc.text)
			for _, in := range intents {
				p, ok := scores[in]
				if !ok {
					t.Errorf("Scores lacks %s", in)
				}
				sum += p
			}
			if math.Abs(sum-1) > 1e-6 || len(scores) != len(intents) {
				t.Errorf("Scores has %d intents summing to %v, want %d summing to 1", len(scores), sum, len(intents))
			}
		})
	}
}

func TestClassifyConcurrent(t *testing.T) {
	c := classifier(t)
	texts := []string{"치킨 두 마리 시켜줘", "결제할게요", "예매 취소", "안녕하세요", "내일 날씨"}
	want := make([]string, len(texts))
	for i, s := range texts {
		want[i], _ = c.Classify(s)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				k := (g + i) % len(texts)
				if got, _ := c.Classify(texts[k]); got != want[k] {
					t.Errorf("concurrent Classify(%q) = %s, want %s", texts[k], got, want[k])
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkTrain(b *testing.B) {
	examples := loadTraining(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := TrainClassifier(examples); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	c, err := TrainClassifier(loadTraining(b))
	if err != nil {
		b.Fatal(err)
	}
	texts := []string{"교촌 허니콤보 두 마리랑 콜라 하나 시켜줘", "네", "내일 저녁 7시 아이유 콘서트 R석 2장 예매해줘", "배달이 너무 늦어요ㅠㅠ"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Classify(texts[i%len(texts)])
		i++
	}
}
