package assistant

import "github.com/sodam-ai/sodam"

// merchantStepText tells the user where an order is once the store works
// on it (the statuses the merchant side adds between paid and delivered).
func merchantStepText(s sodam.OrderStatus) string {
	switch s {
	case sodam.OrderAccepted:
		return "가게에서 주문을 접수했어요. 곧 조리를 시작할 거예요."
	case sodam.OrderCooking:
		return "지금 가게에서 조리하고 있어요."
	case sodam.OrderDelivering:
		return "배달 중이에요. 곧 도착할 거예요."
	}
	return "확인 중이에요."
}
