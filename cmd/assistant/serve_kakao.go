package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/httpapi"
	"github.com/sodam-ai/sodam/connectors/kakao"
	"github.com/sodam-ai/sodam/connectors/kakaopay"
)

// envKakaoSecret names the shared secret that Kakao sends in
// kakao.SecretHeader (X-Sodam-Skill-Secret) with every skill request.
const envKakaoSecret = "SODAM_KAKAO_SECRET"

// mountKakao mounts the Kakao i Open Builder skill endpoint on api at
// POST /kakao/skill. Its turns go through api.Assistant, so they are
// counted in api.Metrics with the other channels. Without
// $SODAM_KAKAO_SECRET the endpoint takes requests without a secret, which
// is logged as a warning. It returns a function that waits, at shutdown,
// for the turns and callbacks in flight (a callback posts its answer up
// to a minute after the request).
func mountKakao(ctx context.Context, api *httpapi.Server, a *app, getenv func(string) string) (drain func(context.Context) error, err error) {
	secret := getenv(envKakaoSecret)
	if secret == "" {
		a.Logger.Warn(envKakaoSecret + " is not set: the Kakao skill endpoint takes requests without a secret")
	}
	h := kakao.New(api.Assistant, a.Logger, kakao.Config{
		Secret:  secret,
		Observe: api.Metrics.ObserveKakao,
	})
	api.Handle("POST /kakao/skill", h)
	return h.Wait, nil
}

// kakaoPayFromEnv returns the KakaoPay client when
// $SODAM_KAKAOPAY_SECRET_KEY is set (with $SODAM_KAKAOPAY_CID and
// $SODAM_KAKAOPAY_BASE_URL optional), and nil otherwise: the service then
// keeps its built-in sandbox.
func kakaoPayFromEnv(getenv func(string) string, logger *slog.Logger) (sodam.PaymentProvider, error) {
	cfg, ok := kakaopay.ConfigFromEnv(getenv)
	if !ok {
		return nil, nil
	}
	c, err := kakaopay.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("kakaopay: %w", err)
	}
	logger.Info("payments go through KakaoPay", "cid", firstNonEmptyString(cfg.CID, kakaopay.DefaultCID), "base_url", firstNonEmptyString(cfg.BaseURL, kakaopay.DefaultBaseURL))
	return c, nil
}

func firstNonEmptyString(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
