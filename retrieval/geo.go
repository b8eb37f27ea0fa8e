package retrieval

import (
	"math"

	"github.com/sodam-ai/sodam"
)

// earthRadiusKm is the mean radius of the earth.
const earthRadiusKm = 6371.0088

// DistanceKm is the great-circle (haversine) distance between a and b in
// kilometres.
func DistanceKm(a, b sodam.Point) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLng := (b.Lng - a.Lng) * rad
	s1 := math.Sin(dLat / 2)
	s2 := math.Sin(dLng / 2)
	h := s1*s1 + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*s2*s2
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}
