"""The debate graph as the code sees it: vocabulary, text folding, labels, the one resolver,
views, `info` and `validate`."""
