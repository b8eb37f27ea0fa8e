package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant"
	"github.com/sodam-ai/sodam/assistant/llm"
	"github.com/sodam-ai/sodam/assistant/llm/langchain"
	"github.com/sodam-ai/sodam/connectors/openai"
	"github.com/sodam-ai/sodam/tools"
)

// plannerFlags are the flags that choose and reach the planner, shared by
// serve, chat and eval dialogues:
//
//	--planner nlu|llm|hybrid  (hybrid when an endpoint is set, else nlu)
//	--llm-base-url URL        ($SODAM_LLM_BASE_URL)
//	--llm-api-key KEY         ($SODAM_LLM_API_KEY)
//	--llm-model NAME          ($SODAM_LLM_MODEL)
//	--llm-backend openai|langchain
//	--llm-temperature T       (0; "default" leaves it to the endpoint)
type plannerFlags struct {
	planner, baseURL, apiKey, model, backend, temperature *string
}

func addPlannerFlags(fs *flag.FlagSet) *plannerFlags {
	return &plannerFlags{
		planner:     fs.String("planner", "", "what plans the turns: nlu, llm or hybrid (default hybrid with an LLM endpoint, else nlu)"),
		baseURL:     fs.String("llm-base-url", "", "OpenAI-compatible API root, e.g. http://localhost:11434/v1 (default $"+openai.EnvBaseURL+")"),
		apiKey:      fs.String("llm-api-key", "", "API key of the endpoint (default $"+openai.EnvAPIKey+")"),
		model:       fs.String("llm-model", "", "model name (default $"+openai.EnvModel+")"),
		backend:     fs.String("llm-backend", "openai", "client of the endpoint: openai (go-openai) or langchain (langchaingo)"),
		temperature: fs.String("llm-temperature", "0", `sampling temperature sent to the model, or "default" to send none`),
	}
}

// plannerConfig is the planner resolved from the flags and the
// environment. A nil Model means the dialogue manager answers alone.
type plannerConfig struct {
	Mode  llm.Mode
	Model llm.Model
	// Temperature is sent as is when not nil.
	Temperature *float64
}

// resolve reads the flags, falling back to the environment, and builds
// the model client. Errors are usage errors.
func (f *plannerFlags) resolve(getenv func(string) string) (plannerConfig, error) {
	cfg := openai.ConfigFromEnv(getenv)
	if *f.baseURL != "" {
		cfg.BaseURL = *f.baseURL
	}
	if *f.apiKey != "" {
		cfg.APIKey = *f.apiKey
	}
	if *f.model != "" {
		cfg.Model = *f.model
	}
	var pc plannerConfig
	switch {
	case *f.planner != "":
		m, err := llm.ParseMode(*f.planner)
		if err != nil {
			return pc, fmt.Errorf("%w: --planner: %v", errUsage, err)
		}
		pc.Mode = m
	case cfg.Configured():
		pc.Mode = llm.ModeHybrid
	default:
		pc.Mode = llm.ModeNLU
	}
	if t := strings.TrimSpace(*f.temperature); t != "" && t != "default" {
		v, err := strconv.ParseFloat(t, 64)
		if err != nil || v < 0 || v > 2 {
			return pc, fmt.Errorf("%w: --llm-temperature %q: want a number from 0 to 2 or \"default\"", errUsage, t)
		}
		pc.Temperature = &v
	}
	if pc.Mode == llm.ModeNLU {
		return pc, nil
	}
	if !cfg.Configured() || cfg.Model == "" {
		return pc, fmt.Errorf("%w: --planner %s needs --llm-base-url and --llm-model (or $%s and $%s)",
			errUsage, pc.Mode, openai.EnvBaseURL, openai.EnvModel)
	}
	switch *f.backend {
	case "openai", "":
		c, err := openai.New(cfg)
		if err != nil {
			return pc, fmt.Errorf("%w: %v", errUsage, err)
		}
		pc.Model = c
	case "langchain":
		hc := &http.Client{Transport: openai.NewTransport(cfg)}
		m, err := langchain.NewOpenAICompatible(cfg.BaseURL, cfg.APIKey, cfg.Model, hc)
		if err != nil {
			return pc, fmt.Errorf("%w: %v", errUsage, err)
		}
		pc.Model = m
	default:
		return pc, fmt.Errorf("%w: --llm-backend %q: want openai or langchain", errUsage, *f.backend)
	}
	return pc, nil
}

// wrap puts the planner around the dialogue manager; in the nlu mode the
// dialogue manager answers alone.
func (pc plannerConfig) wrap(d *assistant.Assistant, tb *tools.Toolbox, p assistant.Parser, clock sodam.Clock, logger *slog.Logger) (sodam.Assistant, error) {
	if pc.Mode == "" || pc.Mode == llm.ModeNLU || pc.Model == nil {
		return d, nil
	}
	pl, err := llm.New(d, tb, p, pc.Model, llm.Config{Mode: pc.Mode, Temperature: pc.Temperature, Clock: clock, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("planner: %w", err)
	}
	return pl, nil
}
