package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/httpapi"
	"github.com/sodam-ai/sodam/connectors/loadgen"
	"github.com/sodam-ai/sodam/tools"
)

// cmdBench load-tests the websocket chat:
//
//	assistant bench [--users N] [--duration D | --turns N] [--scenarios FILE]
//	                [--interval D] [--ramp D] [--idle] [--reconnect]
//	                [--addr HOST:PORT[,HOST:PORT...] [--server-pid PID[,PID...]]]
//	                [--database-url URL]
//	                [--json OUT] [--html OUT]
//
// N simulated users each hold a websocket and play the scenario file's
// dialogues, one turn every --interval. Without --addr the server runs in
// this process on 127.0.0.1 (the embedded store, or Postgres with
// --database-url), on a clock that starts at the first scenario's
// ref_time so that runs are alike whatever the hour; at the end the
// ledger is checked (tools.CheckLedger). Memory then counts the load
// generator too: for the server's own memory per connection, run
// `assistant serve` apart and give --addr and --server-pid.
//
// --addr may list several servers sharing one store and event bus
// (docs/deploy.md): the users are spread over them round robin, a user
// whose server cannot be reached goes on with the next one, and the
// table adds a line per server. --server-pid then lists their process
// ids, whose memory is added up.
//
// It prints a table and writes the figures as JSON (--json) and a
// self-contained HTML chart (--html).
func cmdBench(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	users := fs.Int("users", 100, "simulated users, one connection each")
	duration := fs.Duration("duration", 30*time.Second, "how long to run (0: until --turns)")
	turns := fs.Int("turns", 0, "stop after this many answered turns (0: run for --duration)")
	scenarios := fs.String("scenarios", "evals/testdata/scenarios.jsonl", "dialogue scenarios the users play (contracts section 4)")
	interval := fs.Duration("interval", 500*time.Millisecond, "time between the starts of one user's turns")
	ramp := fs.Duration("ramp", 5*time.Second, "spread the connections' opening over this time")
	idle := fs.Bool("idle", false, "only connect and hold: measure what idle connections cost")
	reconnect := fs.Bool("reconnect", false, "close and resume each user's session after every scenario")
	addr := fs.String("addr", "", "running servers' HOST:PORT, comma-separated (default: start one in this process)")
	pidList := fs.String("server-pid", "", "with --addr: the servers' process ids, comma-separated, to read their memory from /proc")
	dbURL := fs.String("database-url", "", "in-process server on Postgres (default: the embedded store)")
	jsonOut := fs.String("json", "", "write the figures as JSON to this file")
	htmlOut := fs.String("html", "", "write an HTML chart to this file")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of this process (server and load generator) to this file")
	mutexProfile := fs.String("mutexprofile", "", "write a profile of lock contention in this process to this file")
	if err := fs.Parse(e.args); err != nil {
		return fmt.Errorf("%w: bench: %v", errUsage, err)
	}
	if *users <= 0 || (*duration <= 0 && (*turns <= 0 || *idle)) {
		return fmt.Errorf("%w: bench: --users must be positive and --duration (or --turns) set", errUsage)
	}
	addrs, err := splitList(*addr)
	if err != nil {
		return fmt.Errorf("%w: bench: --addr: %v", errUsage, err)
	}
	pids, err := parsePIDs(*pidList)
	if err != nil {
		return fmt.Errorf("%w: bench: --server-pid: %v", errUsage, err)
	}
	if len(pids) > 0 && len(addrs) == 0 {
		return fmt.Errorf("%w: bench: --server-pid goes with --addr", errUsage)
	}
	// Each connection is a file for the load generator and, in process,
	// one more for the server.
	need := uint64(*users + 100)
	if len(addrs) == 0 {
		need += uint64(*users)
	}
	if n, err := raiseOpenFiles(); err == nil && n < need {
		fmt.Fprintf(e.stderr, "bench: only %d open files allowed; connections may fail\n", n)
	}

	cfg := loadgen.Config{Users: *users, Duration: *duration, Turns: *turns, Interval: *interval, Ramp: *ramp,
		Idle: *idle, Reconnect: *reconnect}
	if !*idle {
		f, err := os.Open(*scenarios)
		if err != nil {
			return fmt.Errorf("%w: bench: %v", errUsage, err)
		}
		cfg.Scenarios, err = loadgen.ReadScenarios(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%w: bench: %v", errUsage, err)
		}
	}

	var srv *benchServer
	title := fmt.Sprintf("assistant bench: %d users", *users)
	if len(addrs) > 0 {
		for _, a := range addrs {
			cfg.URLs = append(cfg.URLs, "ws://"+a+"/ws")
		}
		cfg.Sample = func() loadgen.ServerSample { return procSamples(pids) }
		title += " against " + strings.Join(addrs, ", ")
	} else {
		var err error
		srv, err = startBenchServer(ctx, databaseURL(*dbURL, e.getenv), refTimeOf(cfg.Scenarios), e)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer srv.close()
		cfg.URLs = []string{"ws://" + srv.addr + "/ws"}
		cfg.Sample = func() loadgen.ServerSample {
			s := procSample(0)
			s.Goroutines = runtime.NumGoroutine()
			return s
		}
		store := "embedded store"
		if srv.postgres {
			store = "PostgreSQL"
		}
		title += ", in-process server on the " + store
	}

	fmt.Fprintf(e.stderr, "bench: %d users on %s\n", *users, strings.Join(cfg.URLs, ", "))
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if *mutexProfile != "" {
		runtime.SetMutexProfileFraction(5)
		defer runtime.SetMutexProfileFraction(0)
	}
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if *mutexProfile != "" {
		if err := writeFile(*mutexProfile, func(w io.Writer) error { return pprof.Lookup("mutex").WriteTo(w, 0) }); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	if err := res.WriteTable(e.stdout); err != nil {
		return err
	}
	if srv != nil && !*idle {
		if err := srv.checkLedger(ctx, res.UserIDs, e.stdout); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	if *jsonOut != "" {
		if err := writeFile(*jsonOut, res.WriteJSON); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	if *htmlOut != "" {
		if err := writeFile(*htmlOut, func(w io.Writer) error { return res.WriteHTML(w, title) }); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	return nil
}

// benchServer is the service running in this process for a bench.
type benchServer struct {
	a        *app
	addr     string
	postgres bool
	// quiesce waits for the turns in flight and stops serving; close
	// also closes the store. Both may be called more than once.
	quiesce, close func()
}

// startBenchServer wires the service as serve does and serves it on a
// free loopback port. Its clock starts at ref (the wall clock when zero).
func startBenchServer(ctx context.Context, dbURL string, ref time.Time, e env) (*benchServer, error) {
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	var clock sodam.Clock = sodam.WallClock
	if !ref.IsZero() {
		clock = offsetClock{offset: ref.Sub(time.Now())}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	metrics := httpapi.NewMetrics(nil)
	a, err := newApp(ctx, appConfig{DatabaseURL: dbURL, Clock: clock, BaseURL: base, Metrics: metrics, Logger: logger})
	if err != nil {
		ln.Close()
		return nil, err
	}
	api := httpapi.NewServer(a.Responder, logger, httpapi.WithMetrics(metrics))
	api.Ready = a.Ready
	drain, err := mountChat(ctx, api, a, base, e.getenv)
	if err != nil {
		ln.Close()
		a.Close()
		return nil, err
	}
	hs := &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelError)}
	go hs.Serve(ln)
	quiesce := sync.OnceFunc(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		drain(ctx)
		hs.Shutdown(ctx)
	})
	return &benchServer{a: a, addr: ln.Addr().String(), postgres: dbURL != "", quiesce: quiesce,
		close: sync.OnceFunc(func() { quiesce(); a.Close() })}, nil
}

// checkLedger waits for the turns in flight, stops serving, then checks
// the money and seat rules over the users of the run and prints the
// outcome; a broken rule fails the bench.
func (s *benchServer) checkLedger(ctx context.Context, users []string, w io.Writer) error {
	s.quiesce()
	probs, err := tools.CheckLedger(ctx, s.a.Store, tools.LedgerScope{Users: users, Provider: s.a.Sandbox})
	if err != nil {
		return fmt.Errorf("check the ledger: %w", err)
	}
	if len(probs) == 0 {
		fmt.Fprintf(w, "ledger: ok (%d users, %d charges, %d refunds)\n", len(users), s.a.Sandbox.Charges(), s.a.Sandbox.Refunds())
		return nil
	}
	for _, p := range probs {
		fmt.Fprintf(w, "ledger: %s\n", p)
	}
	return fmt.Errorf("the ledger has %d problems", len(probs))
}

// offsetClock is the wall clock moved by a fixed offset.
type offsetClock struct{ offset time.Duration }

func (c offsetClock) Now() time.Time { return time.Now().Add(c.offset) }

// refTimeOf is the first scenario's ref_time, or zero.
func refTimeOf(ss []loadgen.Scenario) time.Time {
	for _, s := range ss {
		if !s.RefTime.IsZero() {
			return s.RefTime
		}
	}
	return time.Time{}
}

// procSample reads a process's resident memory from /proc (pid 0 is this
// process). Goroutines are unknown (-1) for another process.
func procSample(pid int) loadgen.ServerSample {
	s := loadgen.ServerSample{RSSBytes: -1, Goroutines: -1}
	path := "/proc/self/status"
	if pid > 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/status"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return s
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					s.RSSBytes = kb << 10
				}
			}
		}
	}
	return s
}

// procSamples adds up the resident memory of several processes (this one
// when none is given); it is unknown when one of them is.
func procSamples(pids []int) loadgen.ServerSample {
	if len(pids) == 0 {
		return procSample(0)
	}
	out := loadgen.ServerSample{Goroutines: -1}
	for _, pid := range pids {
		s := procSample(pid)
		if s.RSSBytes < 0 {
			return loadgen.ServerSample{RSSBytes: -1, Goroutines: -1}
		}
		out.RSSBytes += s.RSSBytes
	}
	return out
}

// splitList splits a comma-separated list, refusing empty items; an
// empty string is an empty list.
func splitList(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			return nil, fmt.Errorf("an empty item in %q", s)
		}
		out = append(out, f)
	}
	return out, nil
}

// parsePIDs parses a comma-separated list of process ids.
func parsePIDs(s string) ([]int, error) {
	items, err := splitList(s)
	if err != nil {
		return nil, err
	}
	out := make([]int, 0, len(items))
	for _, it := range items {
		n, err := strconv.Atoi(it)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a process id", it)
		}
		out = append(out, n)
	}
	return out, nil
}

// raiseOpenFiles raises the soft limit of open files to the hard limit
// and returns the limit in force.
func raiseOpenFiles() (uint64, error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, err
	}
	if rl.Cur < rl.Max {
		rl.Cur = rl.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
			return rl.Cur, err
		}
	}
	return rl.Cur, nil
}

// writeFile writes a file through fn.
func writeFile(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return errors.Join(f.Close())
}
