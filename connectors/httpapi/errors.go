package httpapi

import (
	"net/http"

	"github.com/sodam-ai/sodam"
)

// errorMapping is the one table that maps an application error code to
// what each channel shows: an HTTP status, a websocket close code and the
// Korean text a Kakao skill answers with when it cannot give a real reply.
type errorMapping struct {
	Status    int
	WSClose   int
	KakaoText string
}

var errorTable = map[string]errorMapping{
	sodam.EINVALID:      {http.StatusBadRequest, 1007, "말씀을 이해하지 못했어요. 다시 한 번 말씀해 주세요."},
	sodam.ENOTFOUND:     {http.StatusNotFound, 1008, "찾으시는 정보를 찾지 못했어요."},
	sodam.ECONFLICT:     {http.StatusConflict, 1008, "지금은 그 요청을 처리할 수 없어요."},
	sodam.EUNAUTHORIZED: {http.StatusUnauthorized, 1008, "권한이 없어요. 다시 로그인해 주세요."},
	sodam.EUNAVAILABLE:  {http.StatusServiceUnavailable, 1013, "잠시 연결이 원활하지 않아요. 조금 뒤에 다시 시도해 주세요."},
	sodam.EINTERNAL:     {http.StatusInternalServerError, 1011, "죄송해요, 잠시 문제가 생겼어요. 조금 뒤에 다시 시도해 주세요."},
}

// ErrorMapping returns the mapping of err's code.
func ErrorMapping(err error) (status, wsClose int, kakaoText string) {
	m, ok := errorTable[sodam.ErrorCode(err)]
	if !ok {
		m = errorTable[sodam.EINTERNAL]
	}
	return m.Status, m.WSClose, m.KakaoText
}
