package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/loadgen"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
	"github.com/sodam-ai/sodam/connectors/ws"
	"github.com/sodam-ai/sodam/tools"
)

// Fault tests: the service under load while something goes wrong, each
// ending with the ledger check (tools.CheckLedger).

// faultServer starts the service in this process, as bench does.
func faultServer(t *testing.T, dbURL string) *benchServer {
	t.Helper()
	e := env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	srv, err := startBenchServer(context.Background(), dbURL, faultRefTime, e)
	if err != nil {
		t.Fatalf("start the server: %v", err)
	}
	t.Cleanup(srv.close)
	return srv
}

// faultRefTime is the scenarios' reference time: a Tuesday evening, when
// the stores are open.
var faultRefTime = time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)

func faultScenarios(t *testing.T) []loadgen.Scenario {
	t.Helper()
	f, err := os.Open("../../evals/testdata/scenarios.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ss, err := loadgen.ReadScenarios(f)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

// faultLoad runs simulated users against srv and fails the test when
// none could connect.
func faultLoad(t *testing.T, srv *benchServer, cfg loadgen.Config) *loadgen.Result {
	t.Helper()
	cfg.URL = "ws://" + srv.addr + "/ws"
	if cfg.Scenarios == nil && !cfg.Idle {
		cfg.Scenarios = faultScenarios(t)
	}
	res, err := loadgen.Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	var b strings.Builder
	res.WriteTable(&b)
	t.Logf("load:\n%s", b.String())
	return res
}

// wantLedger fails the test unless the ledger holds for users.
func wantLedger(t *testing.T, srv *benchServer, users []string) {
	t.Helper()
	var out strings.Builder
	if err := srv.checkLedger(context.Background(), users, &out); err != nil {
		t.Errorf("%v:\n%s", err, out.String())
	}
}

// wantGoroutinesBack waits for the goroutines started by a load to end.
func wantGoroutinesBack(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for runtime.NumGoroutine() > before+10 {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			n := runtime.Stack(buf, true)
			t.Fatalf("goroutines: %d after the load, %d before\n%s", runtime.NumGoroutine(), before, buf[:n])
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestFaultReconnectStorm(t *testing.T) {
	srv := faultServer(t, "")
	before := runtime.NumGoroutine()
	// Every user drops its connection after each scenario and resumes
	// its session on a new one at once.
	res := faultLoad(t, srv, loadgen.Config{Users: 100, Turns: 600, Duration: 2 * time.Minute, Reconnect: true})
	if res.Errors != 0 || res.ConnectFailures != 0 {
		t.Errorf("%d turn errors %v, %d connect failures: %v", res.Errors, res.ErrorCodes, res.ConnectFailures, res.FirstErrors)
	}
	if res.Connected <= res.Users {
		t.Errorf("%d hellos for %d users: the users did not reconnect", res.Connected, res.Users)
	}
	if len(res.UserIDs) != res.Users {
		t.Errorf("%d user ids for %d users: a resumed session became another user", len(res.UserIDs), res.Users)
	}
	wantLedger(t, srv, res.UserIDs)
	wantGoroutinesBack(t, before)
}

func TestFaultSlowClients(t *testing.T) {
	srv := faultServer(t, "")
	before := runtime.NumGoroutine()
	// Clients that send and then never read a frame.
	var stalled []*websocket.Conn
	for k := range 20 {
		c, _, err := websocket.DefaultDialer.Dial("ws://"+srv.addr+"/ws", nil)
		if err != nil {
			t.Fatal(err)
		}
		stalled = append(stalled, c)
		if err := c.WriteJSON(ws.Hello{Type: ws.TypeHello}); err != nil {
			t.Fatal(err)
		}
		for n := range 8 {
			c.WriteJSON(ws.UserMessage{Type: ws.TypeUserMessage, ClientMsgID: fmt.Sprintf("s%d-%d", k, n), Text: "교동치킨 메뉴 보여줘"})
		}
	}
	res := faultLoad(t, srv, loadgen.Config{Users: 50, Turns: 300, Duration: 2 * time.Minute})
	if res.Errors != 0 || res.Drops != 0 {
		t.Errorf("beside stalled clients: %d turn errors %v, %d dropped", res.Errors, res.ErrorCodes, res.Drops)
	}
	wantLedger(t, srv, res.UserIDs)
	for _, c := range stalled {
		c.Close()
	}
	wantGoroutinesBack(t, before)
}

func TestFaultPaymentProvider(t *testing.T) {
	srv := faultServer(t, "")
	pay := srv.a.Sandbox
	// The provider answers 5xx to some approvals and lookups, and
	// refuses some cards, while the users pay.
	unavailable := &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "provider", Message: "502 Bad Gateway"}
	for range 15 {
		pay.FailNext(sandboxpay.OpApprove, unavailable)
		pay.FailNext(sandboxpay.OpLookup, unavailable)
		pay.FailNext(sandboxpay.OpReady, unavailable)
		pay.DeclineNext()
	}
	res := faultLoad(t, srv, loadgen.Config{Users: 50, Turns: 400, Duration: 2 * time.Minute})
	if res.Drops != 0 {
		t.Errorf("%d connections dropped", res.Drops)
	}
	// Whatever the users were told, the books must agree once the
	// reconciliation has run.
	srv.quiesce()
	rep, err := srv.a.Tools.Reconcile(context.Background(), tools.ReconcileOptions{Grace: time.Nanosecond, Abandon: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("reconcile: %+v", *rep)
	if rep.Errors != 0 {
		t.Errorf("reconcile errors: %+v", *rep)
	}
	ps, err := srv.a.Store.Payments(context.Background(), sodam.PaymentReady)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 0 {
		t.Errorf("%d payments still ready after reconciling", len(ps))
	}
	wantLedger(t, srv, res.UserIDs)
}

// TestFaultPostgresRestart restarts the database under load. Turns in
// flight fail with a clean error frame, connections stay open, and the
// service answers again once the database is back. It runs against a
// cluster of its own, never a shared server.
func TestFaultPostgresRestart(t *testing.T) {
	pg := startThrowawayPostgres(t)
	srv := faultServer(t, pg.url)
	restarted := make(chan time.Duration, 1)
	start := time.Now()
	go func() {
		time.Sleep(3 * time.Second)
		pg.ctl(t, "restart", "-m", "fast", "-w")
		restarted <- time.Since(start)
	}()
	res := faultLoad(t, srv, loadgen.Config{Users: 40, Duration: 15 * time.Second, Ramp: time.Second})
	at := <-restarted
	t.Logf("restarted at %.1f s", at.Seconds())
	for code := range res.ErrorCodes {
		if !slices.Contains([]string{sodam.EUNAVAILABLE, sodam.EINTERNAL}, code) {
			t.Errorf("turns failed with %q (%d): want unavailable or internal", code, res.ErrorCodes[code])
		}
	}
	if res.Drops != 0 || res.ConnectFailures != 0 {
		t.Errorf("%d connections dropped, %d failed to connect: %v", res.Drops, res.ConnectFailures, res.FirstErrors)
	}
	// The last seconds are served again.
	tail := res.Series[max(0, len(res.Series)-3):]
	for _, s := range tail {
		if s.Turns == 0 || s.Errors != 0 {
			t.Errorf("second %.0f after the restart: %d turns, %d errors: not recovered", s.At, s.Turns, s.Errors)
		}
	}
	// A turn after the load still works.
	final := faultLoad(t, srv, loadgen.Config{Users: 5, Turns: 10, Duration: time.Minute})
	if final.Errors != 0 {
		t.Errorf("after the restart: %d errors %v", final.Errors, final.ErrorCodes)
	}
	// A charge recorded just before the store went away may have left its
	// order unpaid: the reconciliation that serve runs mends it, and then
	// the ledger holds.
	users := append(res.UserIDs, final.UserIDs...)
	srv.quiesce()
	probs, err := tools.CheckLedger(context.Background(), srv.a.Store, tools.LedgerScope{Users: users, Provider: srv.a.Sandbox})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		t.Logf("before reconciling: %s", p)
	}
	rep, err := srv.a.Tools.Reconcile(context.Background(), tools.ReconcileOptions{Grace: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("reconcile: %+v", *rep)
	wantLedger(t, srv, users)
}

// throwawayPostgres is a PostgreSQL cluster made for one test.
type throwawayPostgres struct {
	bin, dir, url string
	port          int
}

// startThrowawayPostgres makes and starts a cluster in a temporary
// directory with initdb and pg_ctl, as the postgres user when run as
// root, and stops and removes it when the test ends. Without PostgreSQL's
// programs the test fails.
func startThrowawayPostgres(t *testing.T) *throwawayPostgres {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		t.Fatal("initdb not found under /usr/lib/postgresql: install PostgreSQL (scripts/test.sh does)")
	}
	slices.Sort(bins)
	dir, err := os.MkdirTemp("", "sodam-pgfault-")
	if err != nil {
		t.Fatal(err)
	}
	pg := &throwawayPostgres{bin: filepath.Dir(bins[len(bins)-1]), dir: dir, port: freePort(t)}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres user: %v", err)
		}
		var uid, gid int
		fmt.Sscan(u.Uid, &uid)
		fmt.Sscan(u.Gid, &gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		pg.run("pg_ctl", "-D", filepath.Join(dir, "data"), "-m", "immediate", "stop")
		os.RemoveAll(dir)
	})
	if out, err := pg.run("initdb", "-A", "trust", "-U", "postgres", "-D", filepath.Join(dir, "data")); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	pg.ctl(t, "start", "-w")
	pg.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
	return pg
}

// ctl runs pg_ctl on the cluster.
func (pg *throwawayPostgres) ctl(t *testing.T, args ...string) {
	args = append([]string{"-D", filepath.Join(pg.dir, "data"), "-l", filepath.Join(pg.dir, "log"),
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", pg.port, pg.dir)}, args...)
	if out, err := pg.run("pg_ctl", args...); err != nil {
		t.Errorf("pg_ctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// run runs one of PostgreSQL's programs, as the postgres user when root.
func (pg *throwawayPostgres) run(name string, args ...string) ([]byte, error) {
	path := filepath.Join(pg.bin, name)
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = pg.dir
	return cmd.CombinedOutput()
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
