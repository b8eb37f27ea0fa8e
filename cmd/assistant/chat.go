package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant"
	"github.com/sodam-ai/sodam/catalog/demo"
	"github.com/sodam-ai/sodam/connectors/memstore"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
	"github.com/sodam-ai/sodam/retrieval"
	"github.com/sodam-ai/sodam/tools"
)

// cmdChat chats in the terminal on the demo catalog, with an embedded
// store and sandbox payments that approve when the user confirms:
//
//	assistant chat [--user ID] [--ref-time RFC3339]
//
// It reads one message a line from standard input and draws each answer
// as text: cards and lists as indented lines, quick replies as [네]
// [아니요]. --ref-time fixes the clock (each message moves it a few
// seconds), so that opening hours and discounts are reproducible.
func cmdChat(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	user := fs.String("user", "demo", "user id")
	refFlag := fs.String("ref-time", "", "fixed start time, RFC 3339 (default: now)")
	pf := addPlannerFlags(fs)
	if err := fs.Parse(e.args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	planner, err := pf.resolve(e.getenv)
	if err != nil {
		return err
	}
	var clock sodam.Clock = sodam.WallClock
	var step func()
	if *refFlag != "" {
		t, err := time.Parse(time.RFC3339, *refFlag)
		if err != nil {
			return fmt.Errorf("%w: --ref-time: %v", errUsage, err)
		}
		c := &chatClock{now: t.In(sodam.Seoul)}
		clock, step = c, func() { c.advance(5 * time.Second) }
	}
	now := clock.Now()
	st := memstore.New(retrieval.NewIndex(retrieval.NewHashEmbedder(0)), clock)
	if err := demo.Load(ctx, st, now); err != nil {
		return fmt.Errorf("chat: load demo catalog: %w", err)
	}
	if _, err := st.User(ctx, *user); sodam.IsCode(err, sodam.ENOTFOUND) {
		// The demo user lives near 대학로, where the demo has most stores.
		u := &sodam.User{ID: *user, Address: "서울 종로구 대학로 12", Lat: 37.5820, Lng: 127.0018}
		if err := st.UpsertUser(ctx, u); err != nil {
			return fmt.Errorf("chat: user: %w", err)
		}
	}
	p, err := newPipeline("", now)
	if err != nil {
		return err
	}
	pay := sandboxpay.New("http://localhost/sandbox", clock)
	tb := tools.New(st, st, pay, clock, tools.WithPlaces(retrieval.LookupPlace))
	a, err := planner.wrap(assistant.New(tb, p, st, clock, assistant.WithRecords(st)), tb, p, clock, nil)
	if err != nil {
		return err
	}

	fmt.Fprintln(e.stdout, "소담 채팅이에요. 메시지를 입력하세요. (끝내려면 빈 줄에서 Ctrl-D)")
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; ; n++ {
		fmt.Fprint(e.stdout, "> ")
		if !sc.Scan() {
			fmt.Fprintln(e.stdout)
			break
		}
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		resp, err := a.Respond(ctx, sodam.Turn{UserID: *user, Text: text, MessageID: fmt.Sprintf("cli-%d", n), Channel: "cli"})
		if err != nil {
			fmt.Fprintln(e.stdout, sodam.ErrorMessage(err))
		} else if err := drawResponse(e.stdout, resp); err != nil {
			return err
		}
		if step != nil {
			step()
		}
		if ctx.Err() != nil {
			return nil
		}
	}
	return sc.Err()
}

// drawResponse writes a response as terminal text.
func drawResponse(w io.Writer, r *sodam.Response) error {
	var b strings.Builder
	b.WriteString(r.Text + "\n")
	for _, c := range r.Cards {
		b.WriteString("  ┌ " + c.Title)
		if c.Price > 0 {
			b.WriteString(" · " + assistant.Won(c.Price))
			if c.BasePrice > c.Price {
				fmt.Fprintf(&b, " (원래 %s, %d%% 할인)", assistant.Won(c.BasePrice), c.DiscountPct)
			}
		}
		b.WriteString("\n")
		if c.Description != "" {
			b.WriteString("  │ " + c.Description + "\n")
		}
		if len(c.Buttons) > 0 {
			b.WriteString("  └")
			for _, bt := range c.Buttons {
				b.WriteString(" <" + bt.Label + ">")
			}
			b.WriteString("\n")
		}
	}
	if l := r.List; l != nil {
		b.WriteString("  【" + l.Title + "】\n")
		for _, it := range l.Items {
			b.WriteString("   " + it.Title)
			if it.Description != "" {
				b.WriteString(" — " + it.Description)
			}
			b.WriteString("\n")
		}
	}
	if p := r.Payment; p != nil {
		fmt.Fprintf(&b, "  (%s %s) %s\n", p.Label, assistant.Won(p.Amount), p.URL)
	}
	if len(r.QuickReplies) > 0 {
		b.WriteString(" ")
		for _, q := range r.QuickReplies {
			b.WriteString(" [" + q.Label + "]")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// chatClock is a fixed clock that the chat moves forward message by
// message.
type chatClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *chatClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *chatClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
