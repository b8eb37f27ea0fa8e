// Command assistant is Sodam's one binary: it serves the chat, runs the
// terminal chat, ingests catalogs, extracts entities, parses and evaluates,
// migrates the database and benchmarks. main only wires; run is testable.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// env is what a subcommand gets from the process: arguments after the
// subcommand name, the environment, and the standard streams.
type env struct {
	args   []string
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// errUsage marks an error caused by bad arguments or input: the process
// exits with 2.
var errUsage = errors.New("usage")

type command struct {
	summary string
	run     func(ctx context.Context, e env) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":    {"serve the chat (websocket, web page, Kakao skill)", cmdServe},
		"chat":     {"chat in the terminal on the demo catalog", cmdChat},
		"ingest":   {"validate and load a catalog file (JSONL or CSV)", cmdIngest},
		"extract":  {"extract numbers, money, quantities, dates and durations", cmdExtract},
		"nlu":      {"parse text into intent and slots", cmdNLU},
		"eval":     {"evaluate the NLU (eval nlu) or dialogues (eval dialogues)", cmdEval},
		"migrate":  {"apply database migrations", cmdMigrate},
		"bench":    {"load-test the service", cmdBench},
		"merchant": {"issue a merchant API key (merchant key) or set a commission", cmdMerchant},
		"settle":   {"settle a day: gross sales, refunds, commission, payout", cmdSettle},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "assistant:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// run dispatches args[0] to its subcommand.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout, cmds)
		if len(args) == 0 {
			return fmt.Errorf("%w: a subcommand is required", errUsage)
		}
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		usage(stderr, cmds)
		return fmt.Errorf("%w: unknown subcommand %q", errUsage, args[0])
	}
	return c.run(ctx, env{args: args[1:], getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr})
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: assistant <subcommand> [flags]")
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
}
