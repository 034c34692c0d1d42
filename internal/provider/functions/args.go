package functions

import (
	"math"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

// nonNegativeArg refuses argument pos (named name) when it is negative, infinite or NaN.
func nonNegativeArg(pos int64, name string, v float64) *function.FuncError {
	if v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return function.NewArgumentFuncError(pos, name+" must be a finite number ≥ 0")
	}
	return nil
}

// positiveArg refuses argument pos (named name) when it is not a finite number above 0.
func positiveArg(pos int64, name string, v float64) *function.FuncError {
	if v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return function.NewArgumentFuncError(pos, name+" must be a finite number > 0")
	}
	return nil
}
