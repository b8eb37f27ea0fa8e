package catalog

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// The formats a Reader reads.
const (
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
)

// MaxLineBytes is the longest JSON line a Reader accepts. A longer line
// is reported as a bad line and skipped; the Reader's memory is bounded by
// it.
const MaxLineBytes = 16 << 20

// FormatOf returns the format of a file by its extension: "csv" for .csv,
// "jsonl" for .jsonl, .ndjson and .json, and "" for anything else.
func FormatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return FormatCSV
	case ".jsonl", ".ndjson", ".json":
		return FormatJSONL
	}
	return ""
}

// Reader streams the records of a catalog file one at a time. It keeps
// one line (or CSV row) in memory at a time, so a file of any length is
// read in constant memory.
//
// Each record is checked on its own: the fields its kind requires are
// present (a missing field is told apart from a zero value), types and
// ranges are right, opens and closes are HH:MM, dates are RFC 3339 with
// an offset. References between records (a menu item's merchant, a
// session's event) are not checked here: see Ingester.
type Reader struct {
	format string
	src    *countingReader
	line   int // number of the last line read
	err    error

	// JSON Lines
	br  *bufio.Reader
	buf []byte // a line longer than the bufio buffer

	// CSV
	cr   *csv.Reader
	cols []column // nil until the header is read
	kind string   // the kind of every row when there is no kind column

	w wire
}

// NewReader returns a Reader of r in the given format ("jsonl" or "csv").
// An unknown format makes every call to Next fail.
func NewReader(r io.Reader, format string) *Reader {
	rd := &Reader{format: format, src: &countingReader{r: r}}
	switch format {
	case FormatJSONL:
		rd.br = bufio.NewReaderSize(rd.src, 64<<10)
	case FormatCSV:
		rd.cr = csv.NewReader(bufio.NewReaderSize(rd.src, 64<<10))
		rd.cr.FieldsPerRecord = -1 // counted per row, so a short row is one bad line
		rd.cr.ReuseRecord = true
	default:
		rd.err = fmt.Errorf("catalog: unknown format %q (want jsonl or csv)", format)
	}
	return rd
}

// BytesRead returns how many bytes have been read from the underlying
// reader so far (including what is buffered ahead), for progress reports.
func (r *Reader) BytesRead() int64 { return r.src.n.Load() }

// Line returns the number of the line last read.
func (r *Reader) Line() int { return r.line }

// Next returns the next record. At the end it returns io.EOF. A bad line
// returns a *LineError; the caller may go on calling Next, which
// continues with the following line. Any other error (reading failed, a
// CSV header is unusable) is final.
func (r *Reader) Next() (Record, error) {
	if r.err != nil {
		return Record{}, r.err
	}
	if r.format == FormatCSV {
		return r.nextCSV()
	}
	return r.nextJSON()
}

func (r *Reader) nextJSON() (Record, error) {
	for {
		line, tooLong, err := r.readLine()
		if err != nil {
			if err != io.EOF {
				err = fmt.Errorf("catalog: line %d: %w", r.line+1, err)
			}
			r.err = err
			return Record{}, err
		}
		r.line++
		if r.line == 1 {
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		if tooLong {
			return Record{}, &LineError{Line: r.line, Err: fmt.Errorf("line longer than %d bytes", MaxLineBytes)}
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		return r.decodeJSON(line)
	}
}

var utf8BOM = []byte("\xef\xbb\xbf")

// readLine returns the next line without its end of line. A line longer
// than MaxLineBytes is read to its end and reported by tooLong. It
// returns io.EOF only when no byte is left.
func (r *Reader) readLine() (line []byte, tooLong bool, err error) {
	r.buf = r.buf[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			if !tooLong && len(r.buf)+len(chunk) > MaxLineBytes {
				tooLong, r.buf = true, r.buf[:0]
			}
			if !tooLong {
				r.buf = append(r.buf, chunk...)
			}
			continue
		case err == io.EOF && len(chunk) == 0 && len(r.buf) == 0 && !tooLong:
			return nil, false, io.EOF
		case err != nil && err != io.EOF:
			return nil, false, err
		}
		if tooLong {
			return nil, true, nil
		}
		if len(r.buf) > 0 {
			r.buf = append(r.buf, chunk...)
			chunk = r.buf
			if len(chunk) > MaxLineBytes+1 {
				return nil, true, nil
			}
		}
		return bytes.TrimSuffix(chunk, []byte{'\n'}), false, nil
	}
}

func (r *Reader) decodeJSON(line []byte) (Record, error) {
	return decodeLine(&r.w, line, r.line)
}

// decodeLine decodes and checks one JSON line, numbered n, using w as
// scratch space.
func decodeLine(w *wire, line []byte, n int) (Record, error) {
	*w = wire{}
	if fastDecode(line, w) {
		return finish(w, n)
	}
	*w = wire{}
	if err := json.Unmarshal(line, w); err != nil {
		return Record{}, &LineError{Line: n, Kind: w.Kind, ID: w.id(), Err: jsonError(err)}
	}
	return finish(w, n)
}

// finish turns a decoded wire into a record or a *LineError.
func finish(w *wire, n int) (Record, error) {
	if w.Kind == "" {
		return Record{}, &LineError{Line: n, ID: w.id(), Err: errors.New("kind is required")}
	}
	rec, err := w.record()
	if err != nil {
		return Record{}, &LineError{Line: n, Kind: w.Kind, ID: w.id(), Err: err}
	}
	return rec, nil
}

// jsonError rewords the errors of encoding/json for a person fixing a
// catalog file.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			return fmt.Errorf("a line must be a JSON object, not %s", te.Value)
		}
		return fmt.Errorf("%s: want %s, got %s", field, jsonType(te.Type.Kind().String()), te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %v", se.Offset, se)
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

func jsonType(goKind string) string {
	switch goKind {
	case "int", "int64", "int32", "uint", "uint64":
		return "an integer"
	case "float64", "float32":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "map", "struct", "ptr":
		return "an object"
	}
	return goKind
}

// countingReader counts the bytes read through it. The count may be read
// from another goroutine.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
