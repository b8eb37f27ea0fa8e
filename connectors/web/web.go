// Package web serves Sodam's web chat: a messenger-style page at / whose
// static files are embedded in the binary, and the page a payment
// provider sends the user back to after approving a payment.
//
// The page talks to the websocket chat of connectors/ws. It draws every
// text with textContent, and every answer carries a Content-Security-Policy
// that allows only the page's own scripts, so nothing a user or the
// catalog says can run as HTML or script.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var static embed.FS

// Handler serves the chat page at / and its files under /static/. Mount
// it for "GET /{$}" and "GET /static/".
func Handler() http.Handler {
	files, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree always has static/
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, files, "index.html")
	})
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(files)))
	return secure(mux)
}

// secure sets the headers every page of the chat carries.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "+
			"img-src 'self' https: data:; connect-src 'self' ws://"+r.Host+" wss://"+r.Host+"; "+
			"frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}
