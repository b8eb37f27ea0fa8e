// Package evals holds the evaluation harnesses behind `assistant eval` and
// the project's own Korean data.
package evals

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/sodam-ai/sodam/nlu"
)

// trainingJSONL is the labelled messages the intent classifier learns
// from, one JSON object a line in the format of contracts.md section 2.
//
//go:embed testdata/nlu_train.jsonl
var trainingJSONL []byte

// ReadTrainingSet parses the embedded training set.
func ReadTrainingSet() ([]nlu.Example, error) {
	ex, err := nlu.ReadExamples(bytes.NewReader(trainingJSONL))
	if err != nil {
		return nil, fmt.Errorf("evals: training set: %w", err)
	}
	return ex, nil
}

// TrainingSet returns the embedded training set. The data is part of the
// binary and checked by the package's tests, so a parse error is a build
// defect: TrainingSet panics on it. Use ReadTrainingSet to handle the error.
func TrainingSet() []nlu.Example {
	ex, err := ReadTrainingSet()
	if err != nil {
		panic(err)
	}
	return ex
}
