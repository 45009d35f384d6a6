"""Operations: readiness, metrics, request logs."""
