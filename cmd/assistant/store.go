package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/openai"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/retrieval"
)

// openStore opens the Postgres store at url with the embedder the
// environment configures, applying pending migrations. It returns the
// store and a function that closes it. A database that cannot be reached
// is a clear error, not a hang: the attempt is bounded.
func openStore(ctx context.Context, url string) (*postgres.Store, func(), error) {
	return openStoreWith(ctx, postgres.Config{URL: url})
}

// openStoreWith opens the Postgres store configured by cfg.
func openStoreWith(ctx context.Context, cfg postgres.Config) (*postgres.Store, func(), error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	st, err := postgres.Open(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return st, st.Close, nil
}

// embedderFromEnv is the built-in hash embedder, or, when SODAM_EMBED_MODEL
// is set, the OpenAI-compatible /v1/embeddings endpoint at
// SODAM_EMBED_BASE_URL (else SODAM_LLM_BASE_URL) with SODAM_EMBED_DIM
// dimensions (256 when unset).
func embedderFromEnv(getenv func(string) string) (retrieval.Embedder, error) {
	model := getenv(openai.EnvEmbedModel)
	if model == "" {
		return retrieval.NewHashEmbedder(retrieval.DefaultDim), nil
	}
	dim := retrieval.DefaultDim
	if s := getenv(openai.EnvEmbedDim); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%w: %s=%q is not a positive number", errUsage, openai.EnvEmbedDim, s)
		}
		dim = n
	}
	base, key := getenv(openai.EnvEmbedBaseURL), getenv(openai.EnvEmbedAPIKey)
	if base == "" {
		base = getenv(openai.EnvBaseURL)
	}
	if key == "" {
		key = getenv(openai.EnvAPIKey)
	}
	return openai.NewEmbedder(openai.Config{BaseURL: base, APIKey: key, Model: model}, dim)
}

// databaseURL is --database-url when given, else $DATABASE_URL.
func databaseURL(flagValue string, getenv func(string) string) string {
	if flagValue != "" {
		return flagValue
	}
	return getenv("DATABASE_URL")
}

var _ sodam.Store = (*postgres.Store)(nil)
