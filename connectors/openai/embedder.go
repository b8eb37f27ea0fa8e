package openai

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/retrieval"
)

// Environment of the embeddings endpoint. It may differ from the chat
// endpoint's; an unset key or base URL falls back to the chat one's.
const (
	EnvEmbedBaseURL = "SODAM_EMBED_BASE_URL"
	EnvEmbedAPIKey  = "SODAM_EMBED_API_KEY"
	EnvEmbedModel   = "SODAM_EMBED_MODEL"
	EnvEmbedDim     = "SODAM_EMBED_DIM"
)

// maxEmbedBatch is how many texts go in one /v1/embeddings request; the
// OpenAI API takes up to 2,048 inputs, smaller servers fewer.
const maxEmbedBatch = 128

// Embedder computes vectors at an OpenAI-compatible /v1/embeddings
// endpoint. It implements retrieval.Embedder: requests are batched, 429
// and 5xx answers are retried with backoff by the client's transport, and
// vectors are L2-normalised so that cosine and inner product agree.
type Embedder struct {
	api   *goopenai.Client
	model string
	dim   int
	batch int
}

var _ retrieval.Embedder = (*Embedder)(nil)

// NewEmbedder returns an embedder for cfg's endpoint and model, giving
// vectors of dim dimensions (asked of the endpoint, for models that can
// shorten their vectors, and checked on every answer).
func NewEmbedder(cfg Config, dim int) (*Embedder, error) {
	cfg.defaults()
	base, err := apiBase(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.Model) == "" {
		return nil, errors.New("openai: an embedding model name is required")
	}
	if dim <= 0 {
		return nil, errors.New("openai: the embedding dimension must be positive")
	}
	oc := goopenai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = base
	oc.HTTPClient = &http.Client{Transport: NewTransport(cfg), Timeout: cfg.Timeout}
	return &Embedder{api: goopenai.NewClientWithConfig(oc), model: cfg.Model, dim: dim, batch: maxEmbedBatch}, nil
}

// Name identifies the embedder and its model, so that the store notices
// when it changes.
func (e *Embedder) Name() string { return "openai:" + e.model }

// Dim implements retrieval.Embedder.
func (e *Embedder) Dim() int { return e.dim }

// Embed implements retrieval.Embedder. An empty text gets the zero vector
// without a request.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var (
		idx   []int
		input []string
	)
	flush := func() error {
		if len(input) == 0 {
			return nil
		}
		resp, err := e.api.CreateEmbeddings(ctx, goopenai.EmbeddingRequestStrings{
			Input: input, Model: goopenai.EmbeddingModel(e.model), Dimensions: e.dim,
		})
		if err != nil {
			return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "openai.Embed", Err: err}
		}
		if len(resp.Data) != len(input) {
			return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "openai.Embed",
				Err: fmt.Errorf("asked for %d vectors, got %d", len(input), len(resp.Data))}
		}
		for _, d := range resp.Data {
			if d.Index < 0 || d.Index >= len(input) || len(d.Embedding) != e.dim {
				return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "openai.Embed",
					Err: fmt.Errorf("vector %d has %d dimensions, want %d", d.Index, len(d.Embedding), e.dim)}
			}
			out[idx[d.Index]] = normalised(d.Embedding)
		}
		idx, input = idx[:0], input[:0]
		return nil
	}
	for k, t := range texts {
		if strings.TrimSpace(t) == "" {
			out[k] = make([]float32, e.dim)
			continue
		}
		idx = append(idx, k)
		input = append(input, t)
		if len(input) == e.batch {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

func normalised(v []float32) []float32 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return v
	}
	inv := float32(1 / math.Sqrt(sum))
	w := make([]float32, len(v))
	for i, x := range v {
		w[i] = x * inv
	}
	return w
}
