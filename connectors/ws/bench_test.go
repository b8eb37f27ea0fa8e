package ws

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Environment of the idle-connection benchmark's client process.
const (
	envIdleClient = "SODAM_WS_IDLE_CLIENT" // the server's address: run as the client
	envIdleConns  = "SODAM_WS_IDLE_CONNS"  // how many connections (default 1,000)
)

// TestMain runs the test binary as the benchmark's client process when
// envIdleClient is set, so that the client's connections and memory do
// not count in the server's.
func TestMain(m *testing.M) {
	if addr := os.Getenv(envIdleClient); addr != "" {
		if err := idleClient(addr, idleConns()); err != nil {
			fmt.Fprintln(os.Stderr, "idle client:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func idleConns() int {
	n, err := strconv.Atoi(os.Getenv(envIdleConns))
	if err != nil || n <= 0 {
		return 1000
	}
	return n
}

// raiseFileLimit lifts the soft limit on open files to the hard limit.
func raiseFileLimit() error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	lim.Cur = lim.Max
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
}

// idleClient opens n connections to addr, says hello on each, prints
// "ready" and holds them until its standard input closes.
func idleClient(addr string, n int) error {
	if err := raiseFileLimit(); err != nil {
		return err
	}
	d := websocket.Dialer{ReadBufferSize: 256, WriteBufferSize: 256, HandshakeTimeout: 10 * time.Second}
	conns := make([]*websocket.Conn, 0, n)
	for i := range n {
		c, _, err := d.Dial("ws://"+addr+"/ws", nil)
		if err != nil {
			return fmt.Errorf("connection %d: %w", i, err)
		}
		if err := c.WriteJSON(Hello{Type: TypeHello}); err != nil {
			return err
		}
		var w Welcome
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if err := c.ReadJSON(&w); err != nil || w.UserID == "" {
			return fmt.Errorf("connection %d: welcome %+v: %v", i, w, err)
		}
		conns = append(conns, c)
	}
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	for _, c := range conns {
		c.Close()
	}
	return nil
}

// vmRSS returns the process's resident set in KiB, from /proc/self/status.
func vmRSS(tb testing.TB) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				tb.Fatal(err)
			}
			return n
		}
	}
	tb.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// settledRSS collects garbage (several times, so that idle goroutine
// stacks shrink) and returns VmRSS.
func settledRSS(tb testing.TB) int64 {
	for range 4 {
		runtime.GC()
	}
	debug.FreeOSMemory()
	return vmRSS(tb)
}

// BenchmarkIdleConnections measures the server's memory per idle
// connection: it serves the chat, has a client process open
// $SODAM_WS_IDLE_CONNS connections (1,000 by default) that say hello and
// then stay idle, and reports the growth of VmRSS per connection and the
// goroutines per connection. Run it once:
//
//	SODAM_WS_IDLE_CONNS=10000 go test -run '^$' -bench IdleConnections -benchtime 1x ./connectors/ws
func BenchmarkIdleConnections(b *testing.B) {
	n := idleConns()
	if err := raiseFileLimit(); err != nil {
		b.Fatal(err)
	}
	s := NewServer(Config{Assistant: &fakeAssistant{}, Tokens: NewTokens([]byte("bench-secret"), 0, nil)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		s.Shutdown(ctx)
	}()

	for range b.N {
		before := settledRSS(b)
		goroutines := runtime.NumGoroutine()

		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envIdleClient+"="+ln.Addr().String(), envIdleConns+"="+strconv.Itoa(n))
		cmd.Stderr = os.Stderr
		stdin, err := cmd.StdinPipe()
		if err != nil {
			b.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil || strings.TrimSpace(line) != "ready" {
			cmd.Wait()
			b.Fatalf("client: %q %v", line, err)
		}
		opened := time.Since(start)
		for s.Connections() < n {
			time.Sleep(10 * time.Millisecond)
		}
		after := settledRSS(b)
		perConn := float64(after-before) / float64(n)
		perG := float64(runtime.NumGoroutine()-goroutines) / float64(n)
		b.ReportMetric(perConn, "KiB/conn")
		b.ReportMetric(perG, "goroutines/conn")
		b.Logf("%d idle connections in %v: VmRSS %d KiB -> %d KiB, %.2f KiB and %.2f goroutines per connection",
			n, opened.Round(time.Millisecond), before, after, perConn, perG)

		stdin.Close()
		if err := cmd.Wait(); err != nil {
			b.Fatalf("client: %v", err)
		}
		for s.Connections() > 0 {
			time.Sleep(10 * time.Millisecond)
		}
	}
}
