"""Initial schema: every table of shared/data-model.md, its enums, constraints and indexes.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-26 17:37:35.748416
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from search_service.db.ddl import foreign_key, moment
from search_service.db.models.base import ALL_ENUMS

# Tables whose updated_at the database keeps current.
UPDATED_AT_TABLES = ("users", "courses", "carts", "course_reviews")

revision: str = "0001_initial"
down_revision: str | None = None


def upgrade() -> None:
    bind = op.get_bind()
    for enum in ALL_ENUMS:
        postgresql.ENUM(*enum.enums, name=enum.name).create(bind, checkfirst=False)
    op.create_table(
        "categories",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("parent_id", sa.UUID(), nullable=True),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("level", sa.SmallInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f("ck_categories_slug_format")
        ),
        sa.CheckConstraint(
            "(level = 0 AND parent_id IS NULL) OR (level = 1 AND parent_id IS NOT NULL)",
            name=op.f("ck_categories_level_matches_parent"),
        ),
        sa.CheckConstraint("parent_id <> id", name=op.f("ck_categories_not_own_parent")),
        foreign_key("categories", "parent_id", "categories.id", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("slug", name=op.f("uq_categories_slug")),
    )
    op.create_index(op.f("ix_categories_parent_id"), "categories", ["parent_id"], unique=False)
    op.create_table(
        "course_tags",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.CheckConstraint("length(btrim(name)) > 0", name=op.f("ck_course_tags_name_not_blank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_course_tags_name")),
    )
    op.create_table(
        "media_assets",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("owner_id", sa.UUID(), nullable=False),
        sa.Column(
            "file_type",
            postgresql.ENUM(
                "image", "video", "document", name="media_file_type", create_type=False
            ),
            nullable=False,
        ),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column(
            "transcoding_status",
            postgresql.ENUM(
                "pending",
                "processing",
                "ready",
                "failed",
                name="transcoding_status",
                create_type=False,
            ),
            server_default=sa.text("'pending'"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "duration_seconds >= 0", name=op.f("ck_media_assets_duration_non_negative")
        ),
        sa.CheckConstraint("size_bytes >= 0", name=op.f("ck_media_assets_size_non_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_assets")),
    )
    op.create_index(op.f("ix_media_assets_owner_id"), "media_assets", ["owner_id"], unique=False)
    op.create_table(
        "users",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column(
            "role",
            postgresql.ENUM("student", "mentor", "admin", name="user_role", create_type=False),
            server_default=sa.text("'student'"),
            nullable=False,
        ),
        sa.Column(
            "status",
            postgresql.ENUM(
                "pending", "active", "suspended", name="user_status", create_type=False
            ),
            server_default=sa.text("'active'"),
            nullable=False,
        ),
        sa.Column("first_name", sa.String(length=80), nullable=True),
        sa.Column("last_name", sa.String(length=80), nullable=True),
        sa.Column("avatar_url", sa.Text(), nullable=True),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        moment("created_at"),
        moment("updated_at"),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("position('@' in email) > 1", name=op.f("ck_users_email_has_at")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "mentors",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("headline", sa.String(length=180), nullable=True),
        sa.Column("about", sa.Text(), nullable=True),
        sa.Column("experience_years", sa.SmallInteger(), nullable=True),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), nullable=True),
        sa.Column("average_rating", sa.Numeric(precision=3, scale=2), nullable=True),
        sa.Column("total_reviews", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("total_students", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint(
            "average_rating BETWEEN 0 AND 5", name=op.f("ck_mentors_average_rating_range")
        ),
        sa.CheckConstraint(
            "experience_years >= 0", name=op.f("ck_mentors_experience_years_non_negative")
        ),
        sa.CheckConstraint(
            "total_reviews >= 0", name=op.f("ck_mentors_total_reviews_non_negative")
        ),
        sa.CheckConstraint(
            "total_students >= 0", name=op.f("ck_mentors_total_students_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mentors_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_mentors")),
    )
    op.create_table(
        "students",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("occupation", sa.String(length=120), nullable=True),
        sa.Column("goals", sa.Text(), nullable=True),
        sa.Column("preferred_categories", postgresql.ARRAY(sa.UUID()), nullable=True),
        sa.Column("resume_url", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_students_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_students")),
    )
    op.create_table(
        "coupons",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("mentor_id", sa.UUID(), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("discount_percent", sa.SmallInteger(), nullable=False),
        sa.Column("max_redemptions", sa.Integer(), nullable=False),
        sa.Column("redeemed_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "starts_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("code ~ '^[A-Za-z0-9_-]+$'", name=op.f("ck_coupons_code_format")),
        sa.CheckConstraint(
            "discount_percent BETWEEN 1 AND 100", name=op.f("ck_coupons_discount_range")
        ),
        sa.CheckConstraint(
            "expires_at IS NULL OR expires_at > starts_at", name=op.f("ck_coupons_window_order")
        ),
        sa.CheckConstraint(
            "max_redemptions >= 0", name=op.f("ck_coupons_max_redemptions_non_negative")
        ),
        sa.CheckConstraint(
            "redeemed_count <= max_redemptions", name=op.f("ck_coupons_not_over_redeemed")
        ),
        sa.CheckConstraint("redeemed_count >= 0", name=op.f("ck_coupons_redeemed_non_negative")),
        foreign_key("coupons", "mentor_id", "mentors.user_id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coupons")),
        sa.UniqueConstraint("code", name=op.f("uq_coupons_code")),
    )
    op.create_index(op.f("ix_coupons_mentor_id"), "coupons", ["mentor_id"], unique=False)
    op.create_table(
        "courses",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("mentor_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(length=140), nullable=False),
        sa.Column("subtitle", sa.String(length=220), nullable=True),
        sa.Column("slug", sa.String(length=180), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "language_code", sa.CHAR(length=5), server_default=sa.text("'en'"), nullable=False
        ),
        sa.Column(
            "level",
            postgresql.ENUM(
                "beginner",
                "intermediate",
                "advanced",
                "all",
                name="course_level",
                create_type=False,
            ),
            server_default=sa.text("'all'"),
            nullable=False,
        ),
        sa.Column(
            "status",
            postgresql.ENUM(
                "draft",
                "submitted",
                "published",
                "archived",
                name="course_status",
                create_type=False,
            ),
            server_default=sa.text("'draft'"),
            nullable=False,
        ),
        sa.Column("list_price_cents", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("sale_price_cents", sa.Integer(), nullable=True),
        sa.Column("currency", sa.CHAR(length=3), server_default=sa.text("'USD'"), nullable=False),
        sa.Column(
            "total_duration_minutes", sa.Integer(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column("lecture_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "last_updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=True,
        ),
        sa.Column("hero_video_url", sa.Text(), nullable=True),
        sa.Column("thumbnail_url", sa.Text(), nullable=True),
        sa.Column("is_bestseller", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "meta",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        moment("created_at"),
        moment("updated_at"),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_courses_currency_iso")),
        sa.CheckConstraint(
            "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f("ck_courses_slug_format")
        ),
        sa.CheckConstraint(
            "lecture_count >= 0", name=op.f("ck_courses_lecture_count_non_negative")
        ),
        sa.CheckConstraint(
            "list_price_cents >= 0", name=op.f("ck_courses_list_price_non_negative")
        ),
        sa.CheckConstraint(
            "sale_price_cents <= list_price_cents", name=op.f("ck_courses_sale_not_above_list")
        ),
        sa.CheckConstraint(
            "sale_price_cents >= 0", name=op.f("ck_courses_sale_price_non_negative")
        ),
        sa.CheckConstraint(
            "total_duration_minutes >= 0", name=op.f("ck_courses_duration_non_negative")
        ),
        foreign_key("courses", "mentor_id", "mentors.user_id", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
        sa.UniqueConstraint("slug", name=op.f("uq_courses_slug")),
    )
    op.create_index(op.f("ix_courses_mentor_id"), "courses", ["mentor_id"], unique=False)
    op.create_index(
        "ix_courses_status_level_language_code",
        "courses",
        ["status", "level", "language_code"],
        unique=False,
    )
    op.create_table(
        "wishlists",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("student_id", sa.UUID(), nullable=False),
        sa.Column(
            "name", sa.String(length=120), server_default=sa.text("'Favorites'"), nullable=False
        ),
        sa.CheckConstraint("length(btrim(name)) > 0", name=op.f("ck_wishlists_name_not_blank")),
        foreign_key("wishlists", "student_id", "students.user_id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wishlists")),
    )
    op.create_index(
        "uq_wishlists_student_id_name", "wishlists", ["student_id", "name"], unique=True
    )
    op.create_table(
        "carts",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("student_id", sa.UUID(), nullable=False),
        sa.Column(
            "status",
            postgresql.ENUM(
                "open", "converted", "abandoned", name="cart_status", create_type=False
            ),
            server_default=sa.text("'open'"),
            nullable=False,
        ),
        sa.Column("coupon_id", sa.UUID(), nullable=True),
        moment("created_at"),
        moment("updated_at"),
        foreign_key("carts", "coupon_id", "coupons.id", "SET NULL"),
        foreign_key("carts", "student_id", "students.user_id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carts")),
    )
    op.create_index(op.f("ix_carts_student_id"), "carts", ["student_id"], unique=False)
    op.create_index(
        "uq_carts_one_open_per_student",
        "carts",
        ["student_id"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "course_categories",
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("category_id", sa.UUID(), nullable=False),
        foreign_key("course_categories", "category_id", "categories.id", "RESTRICT"),
        foreign_key("course_categories", "course_id", "courses.id", "CASCADE"),
        sa.PrimaryKeyConstraint("course_id", "category_id", name=op.f("pk_course_categories")),
    )
    op.create_index(
        "ix_course_categories_category_id_course_id",
        "course_categories",
        ["category_id", "course_id"],
        unique=False,
    )
    op.create_table(
        "course_metrics",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("views", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("enrollments", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("completions", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("revenue_cents", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint(
            "completions >= 0", name=op.f("ck_course_metrics_completions_non_negative")
        ),
        sa.CheckConstraint(
            "enrollments >= 0", name=op.f("ck_course_metrics_enrollments_non_negative")
        ),
        sa.CheckConstraint(
            "revenue_cents >= 0", name=op.f("ck_course_metrics_revenue_non_negative")
        ),
        sa.CheckConstraint("views >= 0", name=op.f("ck_course_metrics_views_non_negative")),
        foreign_key("course_metrics", "course_id", "courses.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_metrics")),
    )
    op.create_index(
        "uq_course_metrics_course_id_date", "course_metrics", ["course_id", "date"], unique=True
    )
    op.create_table(
        "course_questions",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("student_id", sa.UUID(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        moment("created_at"),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "length(btrim(question)) > 0", name=op.f("ck_course_questions_question_not_blank")
        ),
        foreign_key("course_questions", "course_id", "courses.id", "CASCADE"),
        foreign_key("course_questions", "student_id", "students.user_id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_questions")),
    )
    op.create_index(
        "ix_course_questions_course_id_created_at",
        "course_questions",
        ["course_id", sa.literal_column("created_at DESC")],
        unique=False,
    )
    op.create_index(
        op.f("ix_course_questions_student_id"), "course_questions", ["student_id"], unique=False
    )
    op.create_table(
        "course_reviews",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("student_id", sa.UUID(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("title", sa.String(length=140), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("would_recommend", sa.Boolean(), nullable=True),
        moment("created_at"),
        moment("updated_at"),
        sa.Column("is_verified", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("helpful_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("reported_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint(
            "helpful_count >= 0", name=op.f("ck_course_reviews_helpful_non_negative")
        ),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_course_reviews_rating_range")),
        sa.CheckConstraint(
            "reported_count >= 0", name=op.f("ck_course_reviews_reported_non_negative")
        ),
        foreign_key("course_reviews", "course_id", "courses.id", "CASCADE"),
        foreign_key("course_reviews", "student_id", "students.user_id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_reviews")),
    )
    op.create_index(
        "ix_course_reviews_course_id_created_at",
        "course_reviews",
        ["course_id", sa.literal_column("created_at DESC")],
        unique=False,
    )
    op.create_index(
        op.f("ix_course_reviews_student_id"), "course_reviews", ["student_id"], unique=False
    )
    op.create_index(
        "uq_course_reviews_course_id_student_id",
        "course_reviews",
        ["course_id", "student_id"],
        unique=True,
    )
    op.create_table(
        "course_sections",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(length=140), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column(
            "total_duration_minutes", sa.Integer(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column("lecture_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint(
            "lecture_count >= 0", name=op.f("ck_course_sections_lecture_count_non_negative")
        ),
        sa.CheckConstraint("position >= 0", name=op.f("ck_course_sections_position_non_negative")),
        sa.CheckConstraint(
            "total_duration_minutes >= 0", name=op.f("ck_course_sections_duration_non_negative")
        ),
        foreign_key("course_sections", "course_id", "courses.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_sections")),
    )
    op.create_index(
        "ix_course_sections_course_id_position",
        "course_sections",
        ["course_id", "position"],
        unique=False,
    )
    op.create_table(
        "course_tag_map",
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("tag_id", sa.UUID(), nullable=False),
        foreign_key("course_tag_map", "course_id", "courses.id", "CASCADE"),
        foreign_key("course_tag_map", "tag_id", "course_tags.id", "CASCADE"),
        sa.PrimaryKeyConstraint("course_id", "tag_id", name=op.f("pk_course_tag_map")),
    )
    op.create_index(op.f("ix_course_tag_map_tag_id"), "course_tag_map", ["tag_id"], unique=False)
    op.create_table(
        "wishlist_items",
        sa.Column("wishlist_id", sa.UUID(), nullable=False),
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column(
            "added_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        foreign_key("wishlist_items", "course_id", "courses.id", "CASCADE"),
        foreign_key("wishlist_items", "wishlist_id", "wishlists.id", "CASCADE"),
        sa.PrimaryKeyConstraint("wishlist_id", "course_id", name=op.f("pk_wishlist_items")),
    )
    op.create_index(
        op.f("ix_wishlist_items_course_id"), "wishlist_items", ["course_id"], unique=False
    )
    op.create_table(
        "cart_items",
        sa.Column("cart_id", sa.UUID(), nullable=False),
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), server_default=sa.text("'USD'"), nullable=False),
        sa.Column(
            "added_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_cart_items_currency_iso")),
        sa.CheckConstraint("price_cents >= 0", name=op.f("ck_cart_items_price_non_negative")),
        sa.ForeignKeyConstraint(
            ["cart_id"], ["carts.id"], name=op.f("fk_cart_items_cart_id_carts"), ondelete="CASCADE"
        ),
        foreign_key("cart_items", "course_id", "courses.id", "CASCADE"),
        sa.PrimaryKeyConstraint("cart_id", "course_id", name=op.f("pk_cart_items")),
    )
    op.create_index(op.f("ix_cart_items_course_id"), "cart_items", ["course_id"], unique=False)
    op.create_table(
        "course_answers",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("question_id", sa.UUID(), nullable=False),
        sa.Column("mentor_id", sa.UUID(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        moment("created_at"),
        sa.Column(
            "is_marked_solution", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.CheckConstraint(
            "length(btrim(answer)) > 0", name=op.f("ck_course_answers_answer_not_blank")
        ),
        foreign_key("course_answers", "mentor_id", "mentors.user_id", "CASCADE"),
        foreign_key("course_answers", "question_id", "course_questions.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_answers")),
    )
    op.create_index(
        op.f("ix_course_answers_mentor_id"), "course_answers", ["mentor_id"], unique=False
    )
    op.create_index(
        op.f("ix_course_answers_question_id"), "course_answers", ["question_id"], unique=False
    )
    op.create_table(
        "lectures",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("section_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column(
            "content_type",
            postgresql.ENUM(
                "video",
                "article",
                "quiz",
                "assignment",
                "download",
                name="lecture_content_type",
                create_type=False,
            ),
            server_default=sa.text("'video'"),
            nullable=False,
        ),
        sa.Column("duration_minutes", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("video_url", sa.Text(), nullable=True),
        sa.Column("resource_url", sa.Text(), nullable=True),
        sa.Column("is_preview", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "status",
            postgresql.ENUM("draft", "published", name="lecture_status", create_type=False),
            server_default=sa.text("'published'"),
            nullable=False,
        ),
        sa.CheckConstraint("duration_minutes >= 0", name=op.f("ck_lectures_duration_non_negative")),
        sa.CheckConstraint("position >= 0", name=op.f("ck_lectures_position_non_negative")),
        foreign_key("lectures", "section_id", "course_sections.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lectures")),
    )
    op.create_index(
        "ix_lectures_section_id_position", "lectures", ["section_id", "position"], unique=False
    )
    op.create_table(
        "review_helpful_votes",
        sa.Column("review_id", sa.UUID(), nullable=False),
        sa.Column("student_id", sa.UUID(), nullable=False),
        sa.Column(
            "vote",
            postgresql.ENUM("helpful", "not_helpful", name="review_vote", create_type=False),
            nullable=False,
        ),
        foreign_key("review_helpful_votes", "review_id", "course_reviews.id", "CASCADE"),
        foreign_key("review_helpful_votes", "student_id", "students.user_id", "CASCADE"),
        sa.PrimaryKeyConstraint("review_id", "student_id", name=op.f("pk_review_helpful_votes")),
    )
    op.create_index(
        op.f("ix_review_helpful_votes_student_id"),
        "review_helpful_votes",
        ["student_id"],
        unique=False,
    )
    op.create_table(
        "enrollments",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("student_id", sa.UUID(), nullable=False),
        sa.Column(
            "purchase_price_cents", sa.Integer(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column("currency", sa.CHAR(length=3), server_default=sa.text("'USD'"), nullable=False),
        moment("purchased_at"),
        sa.Column(
            "progress_percent",
            sa.Numeric(precision=5, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column("last_watched_lecture", sa.UUID(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_enrollments_currency_iso")),
        sa.CheckConstraint(
            "progress_percent BETWEEN 0 AND 100", name=op.f("ck_enrollments_progress_range")
        ),
        sa.CheckConstraint(
            "purchase_price_cents >= 0", name=op.f("ck_enrollments_price_non_negative")
        ),
        foreign_key("enrollments", "course_id", "courses.id", "RESTRICT"),
        foreign_key("enrollments", "last_watched_lecture", "lectures.id", "SET NULL"),
        foreign_key("enrollments", "student_id", "students.user_id", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollments")),
    )
    op.create_index(op.f("ix_enrollments_course_id"), "enrollments", ["course_id"], unique=False)
    op.create_index(
        "uq_enrollments_student_id_course_id",
        "enrollments",
        ["student_id", "course_id"],
        unique=True,
    )
    op.execute(
        """
        CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();
            RETURN NEW;
        END $$
        """
    )
    for table in UPDATED_AT_TABLES:
        op.execute(
            f"CREATE TRIGGER trg_{table}_updated_at BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION set_updated_at()"
        )


def downgrade() -> None:
    for table in UPDATED_AT_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_updated_at ON {table}")
    op.execute("DROP FUNCTION IF EXISTS set_updated_at()")
    op.drop_index("uq_enrollments_student_id_course_id", table_name="enrollments")
    op.drop_index(op.f("ix_enrollments_course_id"), table_name="enrollments")
    op.drop_table("enrollments")
    op.drop_index(op.f("ix_review_helpful_votes_student_id"), table_name="review_helpful_votes")
    op.drop_table("review_helpful_votes")
    op.drop_index("ix_lectures_section_id_position", table_name="lectures")
    op.drop_table("lectures")
    op.drop_index(op.f("ix_course_answers_question_id"), table_name="course_answers")
    op.drop_index(op.f("ix_course_answers_mentor_id"), table_name="course_answers")
    op.drop_table("course_answers")
    op.drop_index(op.f("ix_cart_items_course_id"), table_name="cart_items")
    op.drop_table("cart_items")
    op.drop_index(op.f("ix_wishlist_items_course_id"), table_name="wishlist_items")
    op.drop_table("wishlist_items")
    op.drop_index(op.f("ix_course_tag_map_tag_id"), table_name="course_tag_map")
    op.drop_table("course_tag_map")
    op.drop_index("ix_course_sections_course_id_position", table_name="course_sections")
    op.drop_table("course_sections")
    op.drop_index("uq_course_reviews_course_id_student_id", table_name="course_reviews")
    op.drop_index(op.f("ix_course_reviews_student_id"), table_name="course_reviews")
    op.drop_index("ix_course_reviews_course_id_created_at", table_name="course_reviews")
    op.drop_table("course_reviews")
    op.drop_index(op.f("ix_course_questions_student_id"), table_name="course_questions")
    op.drop_index("ix_course_questions_course_id_created_at", table_name="course_questions")
    op.drop_table("course_questions")
    op.drop_index("uq_course_metrics_course_id_date", table_name="course_metrics")
    op.drop_table("course_metrics")
    op.drop_index("ix_course_categories_category_id_course_id", table_name="course_categories")
    op.drop_table("course_categories")
    op.drop_index(
        "uq_carts_one_open_per_student",
        table_name="carts",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_index(op.f("ix_carts_student_id"), table_name="carts")
    op.drop_table("carts")
    op.drop_index("uq_wishlists_student_id_name", table_name="wishlists")
    op.drop_table("wishlists")
    op.drop_index("ix_courses_status_level_language_code", table_name="courses")
    op.drop_index(op.f("ix_courses_mentor_id"), table_name="courses")
    op.drop_table("courses")
    op.drop_index(op.f("ix_coupons_mentor_id"), table_name="coupons")
    op.drop_table("coupons")
    op.drop_table("students")
    op.drop_table("mentors")
    op.drop_table("users")
    op.drop_index(op.f("ix_media_assets_owner_id"), table_name="media_assets")
    op.drop_table("media_assets")
    op.drop_table("course_tags")
    op.drop_index(op.f("ix_categories_parent_id"), table_name="categories")
    op.drop_table("categories")
    bind = op.get_bind()
    for enum in reversed(ALL_ENUMS):
        postgresql.ENUM(*enum.enums, name=enum.name).drop(bind, checkfirst=True)
