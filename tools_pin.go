//go:build tools

// Package sodam pins module dependencies used by later packages.
package sodam
import (
 _ "github.com/jackc/pgx/v5/pgxpool"
 _ "github.com/pgvector/pgvector-go"
 _ "github.com/gorilla/websocket"
 _ "github.com/sashabaranov/go-openai"
 _ "github.com/tmc/langchaingo/llms"
 _ "github.com/tmc/langchaingo/textsplitter"
 _ "golang.org/x/text/unicode/norm"
 _ "golang.org/x/text/width"
 _ "golang.org/x/term"
 _ "github.com/invopop/jsonschema"
 _ "github.com/santhosh-tekuri/jsonschema/v6"
 _ "github.com/google/go-cmp/cmp"
 _ "github.com/prometheus/client_golang/prometheus"
 _ "github.com/pgvector/pgvector-go/pgx"
)
