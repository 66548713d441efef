"""Reading built outputs back and checking every figure against the dataset."""
