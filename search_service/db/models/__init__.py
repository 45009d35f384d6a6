"""Every table of the data model (``shared/data-model.md``), as SQLAlchemy 2.0 typed models."""

from search_service.db.models.auth import AuthToken
from search_service.db.models.base import Base
from search_service.db.models.catalog import (
    Category,
    Course,
    CourseCategory,
    CourseSection,
    CourseTag,
    CourseTagMap,
    Lecture,
)
from search_service.db.models.commerce import (
    Cart,
    CartItem,
    Coupon,
    Enrollment,
    LectureProgress,
    Order,
    OrderItem,
    Wishlist,
    WishlistItem,
)
from search_service.db.models.engagement import (
    CourseAnswer,
    CourseQuestion,
    CourseReview,
    ReviewHelpfulVote,
    ReviewReport,
)
from search_service.db.models.guards import AppState, BackoffState, CourseViewVisitor, RateCounter
from search_service.db.models.insights import HiddenQuery, SearchEvent, SearchQuery
from search_service.db.models.merchandising import CourseRecommendation, MerchandisingRule
from search_service.db.models.search_sync import CourseEmbedding, SearchOutbox, SearchSyncState
from search_service.db.models.support import CourseMetric, MediaAsset
from search_service.db.models.users import Mentor, Student, User

__all__ = [
    "AppState",
    "AuthToken",
    "BackoffState",
    "Base",
    "Cart",
    "CartItem",
    "Category",
    "Coupon",
    "Course",
    "CourseAnswer",
    "CourseCategory",
    "CourseEmbedding",
    "CourseMetric",
    "CourseQuestion",
    "CourseRecommendation",
    "CourseReview",
    "CourseSection",
    "CourseTag",
    "CourseTagMap",
    "CourseViewVisitor",
    "Enrollment",
    "HiddenQuery",
    "Lecture",
    "LectureProgress",
    "MediaAsset",
    "Mentor",
    "MerchandisingRule",
    "Order",
    "OrderItem",
    "RateCounter",
    "ReviewHelpfulVote",
    "ReviewReport",
    "SearchEvent",
    "SearchOutbox",
    "SearchQuery",
    "SearchSyncState",
    "Student",
    "User",
    "Wishlist",
    "WishlistItem",
]
