package catalog

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
)

// source yields the records of a file in file order.
type source interface {
	Next() (Record, error)
	BytesRead() int64
	Line() int // the line of the record last returned; at the end, the number of lines
}

// parallelReader reads JSON Lines as Reader does, but decodes and checks
// lines on several goroutines while keeping file order: one goroutine
// splits the input into batches of lines, workers decode the batches, and
// Next hands out the results batch by batch in the order they were read.
// At most a fixed number of batches of at most about a megabyte each are
// in flight, so memory stays constant.
type parallelReader struct {
	ctx    context.Context
	cancel context.CancelFunc
	rd     *Reader // read by the splitting goroutine only
	order  chan *batch
	free   chan *batch
	wg     sync.WaitGroup

	// Set by the splitting goroutine before it closes order.
	err   error
	total int

	cur  *batch
	i    int
	last int
}

// batch is a run of lines and, once done is closed, their results.
type batch struct {
	data    []byte // the lines, one after another
	ends    []int  // where each line ends in data
	lineNos []int
	tooLong []bool
	recs    []Record
	errs    []error
	done    chan struct{}
}

const (
	batchLines = 512
	batchBytes = 1 << 20
)

func newParallelReader(ctx context.Context, r io.Reader, workers int) *parallelReader {
	ctx, cancel := context.WithCancel(ctx)
	p := &parallelReader{
		ctx:    ctx,
		cancel: cancel,
		rd:     NewReader(r, FormatJSONL),
		order:  make(chan *batch, 4*workers),
		free:   make(chan *batch, 6*workers),
	}
	work := make(chan *batch, 2*workers)
	p.wg.Add(1 + workers)
	go p.split(work)
	for range workers {
		go p.decode(work)
	}
	return p
}

// close stops the goroutines and waits for them.
func (p *parallelReader) close() {
	p.cancel()
	p.wg.Wait()
}

func (p *parallelReader) BytesRead() int64 { return p.rd.BytesRead() }
func (p *parallelReader) Line() int        { return p.last }

func (p *parallelReader) Next() (Record, error) {
	for p.cur == nil || p.i >= len(p.cur.lineNos) {
		if p.cur != nil {
			select {
			case p.free <- p.cur:
			default:
			}
			p.cur = nil
		}
		var b *batch
		var ok bool
		select {
		case b, ok = <-p.order:
		case <-p.ctx.Done():
			return Record{}, p.ctx.Err()
		}
		if !ok {
			p.last = p.total
			return Record{}, p.err
		}
		select {
		case <-b.done:
		case <-p.ctx.Done():
			return Record{}, p.ctx.Err()
		}
		p.cur, p.i = b, 0
	}
	i := p.i
	p.i++
	p.last = p.cur.lineNos[i]
	return p.cur.recs[i], p.cur.errs[i]
}

// split reads lines into batches and sends each both to the workers and,
// in file order, to Next.
func (p *parallelReader) split(work chan<- *batch) {
	defer p.wg.Done()
	defer close(p.order)
	defer close(work)
	b := p.newBatch()
	send := func() bool {
		select {
		case p.order <- b:
		case <-p.ctx.Done():
			return false
		}
		select {
		case work <- b:
		case <-p.ctx.Done():
			return false
		}
		b = p.newBatch()
		return true
	}
	rd := p.rd
	for {
		line, tooLong, err := rd.readLine()
		if err != nil {
			if err != io.EOF {
				err = fmt.Errorf("catalog: line %d: %w", rd.line+1, err)
			}
			if len(b.lineNos) > 0 && !send() {
				return
			}
			p.err, p.total = err, rd.line
			return
		}
		rd.line++
		if rd.line == 1 {
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 && !tooLong {
			continue
		}
		b.data = append(b.data, line...)
		b.ends = append(b.ends, len(b.data))
		b.lineNos = append(b.lineNos, rd.line)
		b.tooLong = append(b.tooLong, tooLong)
		if len(b.lineNos) >= batchLines || len(b.data) >= batchBytes {
			if !send() {
				return
			}
		}
	}
}

func (p *parallelReader) newBatch() *batch {
	select {
	case b := <-p.free:
		b.data, b.ends, b.lineNos, b.tooLong = b.data[:0], b.ends[:0], b.lineNos[:0], b.tooLong[:0]
		b.done = make(chan struct{})
		return b
	default:
		return &batch{done: make(chan struct{})}
	}
}

// decode decodes the lines of each batch it receives.
func (p *parallelReader) decode(work <-chan *batch) {
	defer p.wg.Done()
	var w wire
	for b := range work {
		n := len(b.lineNos)
		if cap(b.recs) < n {
			b.recs, b.errs = make([]Record, n), make([]error, n)
		}
		b.recs, b.errs = b.recs[:n], b.errs[:n]
		clear(b.recs)
		clear(b.errs)
		start := 0
		for i, end := range b.ends {
			if b.tooLong[i] {
				b.errs[i] = &LineError{Line: b.lineNos[i], Err: fmt.Errorf("line longer than %d bytes", MaxLineBytes)}
			} else {
				b.recs[i], b.errs[i] = decodeLine(&w, b.data[start:end], b.lineNos[i])
			}
			start = end
		}
		close(b.done)
	}
}
