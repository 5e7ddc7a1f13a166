"""The use cases. The only place that runs queries; returns plain frozen dataclasses, never ORM objects."""
