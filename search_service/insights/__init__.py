"""Search insights: what shoppers searched, clicked, added and bought, attributed server-side."""
