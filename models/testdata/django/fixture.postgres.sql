--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: auth_group; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE auth_group (
    id integer NOT NULL,
    name character varying(150) NOT NULL
);


--
-- Name: auth_group_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE auth_group_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: auth_group_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE auth_group_id_seq OWNED BY auth_group.id;


--
-- Name: auth_group_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE auth_group_permissions (
    id bigint NOT NULL,
    group_id integer NOT NULL,
    permission_id integer NOT NULL
);


--
-- Name: auth_group_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE auth_group_permissions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: auth_group_permissions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE auth_group_permissions_id_seq OWNED BY auth_group_permissions.id;


--
-- Name: auth_permission; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE auth_permission (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    content_type_id integer NOT NULL,
    codename character varying(100) NOT NULL
);


--
-- Name: auth_permission_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE auth_permission_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: auth_permission_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE auth_permission_id_seq OWNED BY auth_permission.id;


--
-- Name: auth_user; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE auth_user (
    id integer NOT NULL,
    password character varying(128) NOT NULL,
    last_login timestamp with time zone,
    is_superuser boolean NOT NULL,
    username character varying(150) NOT NULL,
    first_name character varying(150) NOT NULL,
    last_name character varying(150) NOT NULL,
    email character varying(254) NOT NULL,
    is_staff boolean NOT NULL,
    is_active boolean NOT NULL,
    date_joined timestamp with time zone NOT NULL
);


--
-- Name: auth_user_groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE auth_user_groups (
    id bigint NOT NULL,
    user_id integer NOT NULL,
    group_id integer NOT NULL
);


--
-- Name: auth_user_groups_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE auth_user_groups_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: auth_user_groups_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE auth_user_groups_id_seq OWNED BY auth_user_groups.id;


--
-- Name: auth_user_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE auth_user_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: auth_user_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE auth_user_id_seq OWNED BY auth_user.id;


--
-- Name: auth_user_user_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE auth_user_user_permissions (
    id bigint NOT NULL,
    user_id integer NOT NULL,
    permission_id integer NOT NULL
);


--
-- Name: auth_user_user_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE auth_user_user_permissions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: auth_user_user_permissions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE auth_user_user_permissions_id_seq OWNED BY auth_user_user_permissions.id;


--
-- Name: chat_message; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE chat_message (
    id bigint NOT NULL,
    content character varying(512) NOT NULL,
    "timestamp" timestamp with time zone NOT NULL,
    room_id bigint NOT NULL,
    user_id integer NOT NULL
);


--
-- Name: chat_message_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE chat_message_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: chat_message_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE chat_message_id_seq OWNED BY chat_message.id;


--
-- Name: chat_room; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE chat_room (
    id bigint NOT NULL,
    name character varying(200) NOT NULL
);


--
-- Name: chat_room_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE chat_room_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: chat_room_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE chat_room_id_seq OWNED BY chat_room.id;


--
-- Name: chat_room_online; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE chat_room_online (
    id bigint NOT NULL,
    room_id bigint NOT NULL,
    user_id integer NOT NULL
);


--
-- Name: chat_room_online_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE chat_room_online_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: chat_room_online_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE chat_room_online_id_seq OWNED BY chat_room_online.id;


--
-- Name: django_admin_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE django_admin_log (
    id integer NOT NULL,
    action_time timestamp with time zone NOT NULL,
    object_id text,
    object_repr character varying(200) NOT NULL,
    action_flag smallint NOT NULL,
    change_message text NOT NULL,
    content_type_id integer,
    user_id integer NOT NULL,
    CONSTRAINT django_admin_log_action_flag_check CHECK ((action_flag >= 0))
);


--
-- Name: django_admin_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE django_admin_log_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: django_admin_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE django_admin_log_id_seq OWNED BY django_admin_log.id;


--
-- Name: django_content_type; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE django_content_type (
    id integer NOT NULL,
    app_label character varying(100) NOT NULL,
    model character varying(100) NOT NULL
);


--
-- Name: django_content_type_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE django_content_type_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: django_content_type_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE django_content_type_id_seq OWNED BY django_content_type.id;


--
-- Name: django_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE django_migrations (
    id bigint NOT NULL,
    app character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    applied timestamp with time zone NOT NULL
);


--
-- Name: django_migrations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE django_migrations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: django_migrations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE django_migrations_id_seq OWNED BY django_migrations.id;


--
-- Name: django_session; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE django_session (
    session_key character varying(40) NOT NULL,
    session_data text NOT NULL,
    expire_date timestamp with time zone NOT NULL
);


--
-- Name: auth_group id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_group ALTER COLUMN id SET DEFAULT nextval('auth_group_id_seq'::regclass);


--
-- Name: auth_group_permissions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_group_permissions ALTER COLUMN id SET DEFAULT nextval('auth_group_permissions_id_seq'::regclass);


--
-- Name: auth_permission id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_permission ALTER COLUMN id SET DEFAULT nextval('auth_permission_id_seq'::regclass);


--
-- Name: auth_user id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user ALTER COLUMN id SET DEFAULT nextval('auth_user_id_seq'::regclass);


--
-- Name: auth_user_groups id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user_groups ALTER COLUMN id SET DEFAULT nextval('auth_user_groups_id_seq'::regclass);


--
-- Name: auth_user_user_permissions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user_user_permissions ALTER COLUMN id SET DEFAULT nextval('auth_user_user_permissions_id_seq'::regclass);


--
-- Name: chat_message id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY chat_message ALTER COLUMN id SET DEFAULT nextval('chat_message_id_seq'::regclass);


--
-- Name: chat_room id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY chat_room ALTER COLUMN id SET DEFAULT nextval('chat_room_id_seq'::regclass);


--
-- Name: chat_room_online id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY chat_room_online ALTER COLUMN id SET DEFAULT nextval('chat_room_online_id_seq'::regclass);


--
-- Name: django_admin_log id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY django_admin_log ALTER COLUMN id SET DEFAULT nextval('django_admin_log_id_seq'::regclass);


--
-- Name: django_content_type id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY django_content_type ALTER COLUMN id SET DEFAULT nextval('django_content_type_id_seq'::regclass);


--
-- Name: django_migrations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY django_migrations ALTER COLUMN id SET DEFAULT nextval('django_migrations_id_seq'::regclass);


--
-- Data for Name: auth_group; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: auth_group_permissions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: auth_permission; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO auth_permission VALUES (1, 'Can add room', 1, 'add_room');
INSERT INTO auth_permission VALUES (2, 'Can change room', 1, 'change_room');
INSERT INTO auth_permission VALUES (3, 'Can delete room', 1, 'delete_room');
INSERT INTO auth_permission VALUES (4, 'Can view room', 1, 'view_room');
INSERT INTO auth_permission VALUES (5, 'Can add message', 2, 'add_message');
INSERT INTO auth_permission VALUES (6, 'Can change message', 2, 'change_message');
INSERT INTO auth_permission VALUES (7, 'Can delete message', 2, 'delete_message');
INSERT INTO auth_permission VALUES (8, 'Can view message', 2, 'view_message');
INSERT INTO auth_permission VALUES (9, 'Can add log entry', 3, 'add_logentry');
INSERT INTO auth_permission VALUES (10, 'Can change log entry', 3, 'change_logentry');
INSERT INTO auth_permission VALUES (11, 'Can delete log entry', 3, 'delete_logentry');
INSERT INTO auth_permission VALUES (12, 'Can view log entry', 3, 'view_logentry');
INSERT INTO auth_permission VALUES (13, 'Can add permission', 4, 'add_permission');
INSERT INTO auth_permission VALUES (14, 'Can change permission', 4, 'change_permission');
INSERT INTO auth_permission VALUES (15, 'Can delete permission', 4, 'delete_permission');
INSERT INTO auth_permission VALUES (16, 'Can view permission', 4, 'view_permission');
INSERT INTO auth_permission VALUES (17, 'Can add group', 5, 'add_group');
INSERT INTO auth_permission VALUES (18, 'Can change group', 5, 'change_group');
INSERT INTO auth_permission VALUES (19, 'Can delete group', 5, 'delete_group');
INSERT INTO auth_permission VALUES (20, 'Can view group', 5, 'view_group');
INSERT INTO auth_permission VALUES (21, 'Can add user', 6, 'add_user');
INSERT INTO auth_permission VALUES (22, 'Can change user', 6, 'change_user');
INSERT INTO auth_permission VALUES (23, 'Can delete user', 6, 'delete_user');
INSERT INTO auth_permission VALUES (24, 'Can view user', 6, 'view_user');
INSERT INTO auth_permission VALUES (25, 'Can add content type', 7, 'add_contenttype');
INSERT INTO auth_permission VALUES (26, 'Can change content type', 7, 'change_contenttype');
INSERT INTO auth_permission VALUES (27, 'Can delete content type', 7, 'delete_contenttype');
INSERT INTO auth_permission VALUES (28, 'Can view content type', 7, 'view_contenttype');
INSERT INTO auth_permission VALUES (29, 'Can add session', 8, 'add_session');
INSERT INTO auth_permission VALUES (30, 'Can change session', 8, 'change_session');
INSERT INTO auth_permission VALUES (31, 'Can delete session', 8, 'delete_session');
INSERT INTO auth_permission VALUES (32, 'Can view session', 8, 'view_session');


--
-- Data for Name: auth_user; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO auth_user VALUES (1, 'pbkdf2_sha256$260000$ETfjne41IQb9ECY42rC6kt$N1L7ANFLpnTcNwMM9FTaoE5x4OzWYBTLF+J3AfLLJEI=', NULL, false, 'ann', '', '', '', false, true, '2026-11-30 21:05:52.037395+00');
INSERT INTO auth_user VALUES (2, 'pbkdf2_sha256$260000$XTNb2TpfXcxtq8CBCgXml0$60QymSPrtRtf/1pl1h5kLl2anaOlegTIfkwywA2/u50=', NULL, false, 'Bob', '', '', '', false, true, '2026-11-30 21:05:52.110857+00');
INSERT INTO auth_user VALUES (3, 'pbkdf2_sha256$260000$50rS1YXyj4tDP4TxsgbODk$FVx2mXLmpabs6NT0UZIGXIOcRxpu68+52D36IqDsUsY=', NULL, false, 'BOB', '', '', '', false, true, '2026-11-30 21:05:52.173004+00');
INSERT INTO auth_user VALUES (4, 'argon2$argon2id$v=19$m=102400,t=2,p=8$UmNXS3ZWY2N0N3BWdkl5SFNCQW5mNw$P/vQsnyvaU3f/FkmFUGmAw', NULL, false, 'bob', '', '', '', false, true, '2026-11-30 21:05:52.234358+00');
INSERT INTO auth_user VALUES (5, 'pbkdf2_sha256$260000$SbD0kNbjJfIWbGGaTMqOZa$0NYHvK92v+3G3FT7wjUnLt3uldHjt6Xg8HbouBwHl18=', NULL, true, 'admin', '', '', '', true, true, '2026-11-30 21:05:53.348791+00');
INSERT INTO auth_user VALUES (6, 'bcrypt_sha256$$2b$12$n4hnT1C8P2t2XuO6IxxWt.1xo7OcQJ7LGTR7jnqeCqMxWIE5aRB2S', NULL, false, 'mod', '', '', '', true, true, '2026-11-30 21:05:53.525368+00');
INSERT INTO auth_user VALUES (7, 'pbkdf2_sha1$260000$PKxcv1hxFaqA8wZYl93Wj3$j8M4MvnU0Cupg1WRZeLRKDXzZG4=', NULL, false, 'john.doe', '', '', '', false, true, '2026-11-30 21:05:54.064839+00');
INSERT INTO auth_user VALUES (8, 'bcrypt$$2b$12$xfnIt/IMXL8bHLbI0FyXGeq2JiC.RSGN/Wd2OT4aj4z8DENzw5xqe', NULL, false, 'jane+chat@example.com', '', '', '', false, true, '2026-11-30 21:05:54.339948+00');
INSERT INTO auth_user VALUES (9, 'md5$B2C7PdWjFY82134vSucvQE$75590bad6161656793c5c8a3f6569dc1', NULL, false, 'élodie', '', '', '', false, true, '2026-11-30 21:05:54.653032+00');
INSERT INTO auth_user VALUES (10, 'pbkdf2_sha256$260000$Wx9zIXuK0ZroDyuorg4GBp$4lMeAeQY5m08OZfQ3iGicHZJSQ5AXxaR7MsNeS9mNYw=', NULL, false, '名前', '', '', '', false, true, '2026-11-30 21:05:54.653904+00');
INSERT INTO auth_user VALUES (11, 'pbkdf2_sha256$260000$iGk0UTgksAeRzQ13dQyMtG$HogZd8BiKc47rOaLnLJBD+kB2xuxppPz/EsN8YVN5BQ=', NULL, false, 'marie²', '', '', '', false, true, '2026-11-30 21:05:54.719149+00');
INSERT INTO auth_user VALUES (12, 'pbkdf2_sha256$260000$DD95ZxY4QafCz0TTVL3xIQ$oXpyr/uwwW4dE17XNhv5UYxRVpoq+vBHXU+P1+wEy6Q=', NULL, false, 'john doe', '', '', '', false, true, '2026-11-30 21:05:54.967419+00');
INSERT INTO auth_user VALUES (13, 'pbkdf2_sha256$260000$gYke9dMv3zGNijj6cAvy98$+fLQKWuwAsdhIOq4veZoqGkma5St48txhaGp5SQ30DA=', NULL, false, '<script>alert(1)</script>', '', '', '', false, true, '2026-11-30 21:05:55.03471+00');
INSERT INTO auth_user VALUES (14, 'pbkdf2_sha256$260000$iFEMfxDZM1Nf6b6dhvxcbE$O6ZU0qNjDLoBYLr4ZJDhlW8ZUU2vuSZ3NTEZqqLJ8xo=', NULL, false, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '', '', '', false, true, '2026-11-30 21:05:55.119258+00');
INSERT INTO auth_user VALUES (15, 'pbkdf2_sha256$260000$USjqwZ8PR8nUSftMny8hHG$NWFddHoFDcNWux4p8Moj1vkWlB9QOtvJeO5pL+SAK5E=', NULL, false, 'gone', '', '', '', false, false, '2026-11-30 21:05:55.185313+00');
INSERT INTO auth_user VALUES (16, '!a7ZMuwsxKohudTnvMqTet9U7FAD6JVlUlsIvzS6F', NULL, false, 'nopass', '', '', '', false, true, '2026-11-30 21:05:55.430111+00');
INSERT INTO auth_user VALUES (17, 'crypt$$a2UCwxHNvWmp.', NULL, false, 'legacy', '', '', '', false, true, '2026-11-30 21:05:55.431789+00');


--
-- Data for Name: auth_user_groups; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: auth_user_user_permissions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: chat_message; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO chat_message VALUES (1, 'hello', '2024-03-01 09:00:00+00', 1, 1);
INSERT INTO chat_message VALUES (2, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 09:07:00.000137+00', 1, 4);
INSERT INTO chat_message VALUES (3, 'two
lines', '2024-03-01 09:14:00+00', 1, 7);
INSERT INTO chat_message VALUES (4, 'emoji 🎉 and ünïcödé', '2024-03-01 09:21:00.000411+00', 1, 10);
INSERT INTO chat_message VALUES (5, '', '2024-03-01 09:28:00+00', 1, 13);
INSERT INTO chat_message VALUES (6, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 09:35:00.000685+00', 1, 16);
INSERT INTO chat_message VALUES (7, 'hello', '2024-03-01 09:42:00+00', 2, 3);
INSERT INTO chat_message VALUES (8, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 09:49:00.000959+00', 2, 6);
INSERT INTO chat_message VALUES (9, 'two
lines', '2024-03-01 09:56:00+00', 2, 9);
INSERT INTO chat_message VALUES (10, 'emoji 🎉 and ünïcödé', '2024-03-01 10:03:00.001233+00', 2, 12);
INSERT INTO chat_message VALUES (11, '', '2024-03-01 10:10:00+00', 2, 15);
INSERT INTO chat_message VALUES (12, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 10:17:00.001507+00', 3, 2);
INSERT INTO chat_message VALUES (13, 'hello', '2024-03-01 10:24:00+00', 3, 5);
INSERT INTO chat_message VALUES (14, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 10:31:00.001781+00', 3, 8);
INSERT INTO chat_message VALUES (15, 'two
lines', '2024-03-01 10:38:00+00', 3, 11);
INSERT INTO chat_message VALUES (16, 'emoji 🎉 and ünïcödé', '2024-03-01 10:45:00.002055+00', 3, 14);
INSERT INTO chat_message VALUES (17, '', '2024-03-01 10:52:00+00', 3, 17);
INSERT INTO chat_message VALUES (18, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 10:59:00.002329+00', 4, 1);
INSERT INTO chat_message VALUES (19, 'hello', '2024-03-01 11:06:00+00', 4, 4);
INSERT INTO chat_message VALUES (20, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 11:13:00.002603+00', 4, 7);
INSERT INTO chat_message VALUES (21, 'two
lines', '2024-03-01 11:20:00+00', 4, 10);
INSERT INTO chat_message VALUES (22, 'emoji 🎉 and ünïcödé', '2024-03-01 11:27:00.002877+00', 4, 13);
INSERT INTO chat_message VALUES (23, '', '2024-03-01 11:34:00+00', 4, 16);
INSERT INTO chat_message VALUES (24, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 11:41:00.003151+00', 5, 3);
INSERT INTO chat_message VALUES (25, 'hello', '2024-03-01 11:48:00+00', 5, 6);
INSERT INTO chat_message VALUES (26, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 11:55:00.003425+00', 5, 9);
INSERT INTO chat_message VALUES (27, 'two
lines', '2024-03-01 12:02:00+00', 5, 12);
INSERT INTO chat_message VALUES (28, 'emoji 🎉 and ünïcödé', '2024-03-01 12:09:00.003699+00', 5, 15);
INSERT INTO chat_message VALUES (29, '', '2024-03-01 12:16:00+00', 6, 2);
INSERT INTO chat_message VALUES (30, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 12:23:00.003973+00', 6, 5);
INSERT INTO chat_message VALUES (31, 'hello', '2024-03-01 12:30:00+00', 6, 8);
INSERT INTO chat_message VALUES (32, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 12:37:00.004247+00', 6, 11);
INSERT INTO chat_message VALUES (33, 'two
lines', '2024-03-01 12:44:00+00', 6, 14);
INSERT INTO chat_message VALUES (34, 'emoji 🎉 and ünïcödé', '2024-03-01 12:51:00.004521+00', 6, 17);
INSERT INTO chat_message VALUES (35, '', '2024-03-01 12:58:00+00', 7, 1);
INSERT INTO chat_message VALUES (36, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 13:05:00.004795+00', 7, 4);
INSERT INTO chat_message VALUES (37, 'hello', '2024-03-01 13:12:00+00', 7, 7);
INSERT INTO chat_message VALUES (38, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 13:19:00.005069+00', 7, 10);
INSERT INTO chat_message VALUES (39, 'two
lines', '2024-03-01 13:26:00+00', 7, 13);
INSERT INTO chat_message VALUES (40, 'emoji 🎉 and ünïcödé', '2024-03-01 13:33:00.005343+00', 7, 16);
INSERT INTO chat_message VALUES (41, '', '2024-03-01 13:40:00+00', 8, 3);
INSERT INTO chat_message VALUES (42, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 13:47:00.005617+00', 8, 6);
INSERT INTO chat_message VALUES (43, 'hello', '2024-03-01 13:54:00+00', 8, 9);
INSERT INTO chat_message VALUES (44, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 14:01:00.005891+00', 8, 12);
INSERT INTO chat_message VALUES (45, 'two
lines', '2024-03-01 14:08:00+00', 8, 15);
INSERT INTO chat_message VALUES (46, 'emoji 🎉 and ünïcödé', '2024-03-01 14:15:00.006165+00', 9, 2);
INSERT INTO chat_message VALUES (47, '', '2024-03-01 14:22:00+00', 9, 5);
INSERT INTO chat_message VALUES (48, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 14:29:00.006439+00', 9, 8);
INSERT INTO chat_message VALUES (49, 'hello', '2024-03-01 14:36:00+00', 9, 11);
INSERT INTO chat_message VALUES (50, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 14:43:00.006713+00', 9, 14);
INSERT INTO chat_message VALUES (51, 'two
lines', '2024-03-01 14:50:00+00', 9, 17);
INSERT INTO chat_message VALUES (52, 'emoji 🎉 and ünïcödé', '2024-03-01 14:57:00.006987+00', 10, 1);
INSERT INTO chat_message VALUES (53, '', '2024-03-01 15:04:00+00', 10, 4);
INSERT INTO chat_message VALUES (54, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 15:11:00.007261+00', 10, 7);
INSERT INTO chat_message VALUES (55, 'hello', '2024-03-01 15:18:00+00', 10, 10);
INSERT INTO chat_message VALUES (56, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 15:25:00.007535+00', 10, 13);
INSERT INTO chat_message VALUES (57, 'two
lines', '2024-03-01 15:32:00+00', 10, 16);
INSERT INTO chat_message VALUES (58, 'emoji 🎉 and ünïcödé', '2024-03-01 15:39:00.007809+00', 11, 3);
INSERT INTO chat_message VALUES (59, '', '2024-03-01 15:46:00+00', 11, 6);
INSERT INTO chat_message VALUES (60, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 15:53:00.008083+00', 11, 9);
INSERT INTO chat_message VALUES (61, 'hello', '2024-03-01 16:00:00+00', 11, 12);
INSERT INTO chat_message VALUES (62, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 16:07:00.008357+00', 11, 15);
INSERT INTO chat_message VALUES (63, 'two
lines', '2024-03-01 16:14:00+00', 12, 2);
INSERT INTO chat_message VALUES (64, 'emoji 🎉 and ünïcödé', '2024-03-01 16:21:00.008631+00', 12, 5);
INSERT INTO chat_message VALUES (65, '', '2024-03-01 16:28:00+00', 12, 8);
INSERT INTO chat_message VALUES (66, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 16:35:00.008905+00', 12, 11);
INSERT INTO chat_message VALUES (67, 'hello', '2024-03-01 16:42:00+00', 12, 14);
INSERT INTO chat_message VALUES (68, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 16:49:00.009179+00', 12, 17);
INSERT INTO chat_message VALUES (69, 'two
lines', '2024-03-01 16:56:00+00', 13, 1);
INSERT INTO chat_message VALUES (70, 'emoji 🎉 and ünïcödé', '2024-03-01 17:03:00.009453+00', 13, 4);
INSERT INTO chat_message VALUES (71, '', '2024-03-01 17:10:00+00', 13, 7);
INSERT INTO chat_message VALUES (72, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 17:17:00.009727+00', 13, 10);
INSERT INTO chat_message VALUES (73, 'hello', '2024-03-01 17:24:00+00', 13, 13);
INSERT INTO chat_message VALUES (74, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 17:31:00.010001+00', 13, 16);
INSERT INTO chat_message VALUES (75, 'two
lines', '2024-03-01 17:38:00+00', 14, 3);
INSERT INTO chat_message VALUES (76, 'emoji 🎉 and ünïcödé', '2024-03-01 17:45:00.010275+00', 14, 6);
INSERT INTO chat_message VALUES (77, '', '2024-03-01 17:52:00+00', 14, 9);
INSERT INTO chat_message VALUES (78, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 17:59:00.010549+00', 14, 12);
INSERT INTO chat_message VALUES (79, 'hello', '2024-03-01 18:06:00+00', 14, 15);
INSERT INTO chat_message VALUES (80, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 18:13:00.010823+00', 15, 2);
INSERT INTO chat_message VALUES (81, 'two
lines', '2024-03-01 18:20:00+00', 15, 5);
INSERT INTO chat_message VALUES (82, 'emoji 🎉 and ünïcödé', '2024-03-01 18:27:00.011097+00', 15, 8);
INSERT INTO chat_message VALUES (83, '', '2024-03-01 18:34:00+00', 15, 11);
INSERT INTO chat_message VALUES (84, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 18:41:00.011371+00', 15, 14);
INSERT INTO chat_message VALUES (85, 'hello', '2024-03-01 18:48:00+00', 15, 17);
INSERT INTO chat_message VALUES (86, '<b>bold?</b> <script>alert(''x'')</script>', '2024-03-01 18:55:00.011645+00', 16, 1);
INSERT INTO chat_message VALUES (87, 'two
lines', '2024-03-01 19:02:00+00', 16, 4);
INSERT INTO chat_message VALUES (88, 'emoji 🎉 and ünïcödé', '2024-03-01 19:09:00.011919+00', 16, 7);
INSERT INTO chat_message VALUES (89, '', '2024-03-01 19:16:00+00', 16, 10);
INSERT INTO chat_message VALUES (90, 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '2024-03-01 19:23:00.012193+00', 16, 13);
INSERT INTO chat_message VALUES (91, 'hello', '2024-03-01 19:30:00+00', 16, 16);


--
-- Data for Name: chat_room; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO chat_room VALUES (1, 'general');
INSERT INTO chat_room VALUES (2, 'General');
INSERT INTO chat_room VALUES (3, 'general ');
INSERT INTO chat_room VALUES (4, 'my room');
INSERT INTO chat_room VALUES (5, 'café ☕');
INSERT INTO chat_room VALUES (6, '日本語');
INSERT INTO chat_room VALUES (7, '../etc');
INSERT INTO chat_room VALUES (8, '<script>alert(1)</script>');
INSERT INTO chat_room VALUES (9, 'a/b');
INSERT INTO chat_room VALUES (10, '100% off?x=1#y');
INSERT INTO chat_room VALUES (11, 'rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr');
INSERT INTO chat_room VALUES (12, 'dup');
INSERT INTO chat_room VALUES (13, 'dup');
INSERT INTO chat_room VALUES (14, '   ');
INSERT INTO chat_room VALUES (15, '--');
INSERT INTO chat_room VALUES (16, '2024-03');


--
-- Data for Name: chat_room_online; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: django_admin_log; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: django_content_type; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO django_content_type VALUES (1, 'chat', 'room');
INSERT INTO django_content_type VALUES (2, 'chat', 'message');
INSERT INTO django_content_type VALUES (3, 'admin', 'logentry');
INSERT INTO django_content_type VALUES (4, 'auth', 'permission');
INSERT INTO django_content_type VALUES (5, 'auth', 'group');
INSERT INTO django_content_type VALUES (6, 'auth', 'user');
INSERT INTO django_content_type VALUES (7, 'contenttypes', 'contenttype');
INSERT INTO django_content_type VALUES (8, 'sessions', 'session');


--
-- Data for Name: django_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO django_migrations VALUES (1, 'contenttypes', '0001_initial', '2026-11-30 21:05:51.305557+00');
INSERT INTO django_migrations VALUES (2, 'auth', '0001_initial', '2026-11-30 21:05:51.335431+00');
INSERT INTO django_migrations VALUES (3, 'admin', '0001_initial', '2026-11-30 21:05:51.344789+00');
INSERT INTO django_migrations VALUES (4, 'admin', '0002_logentry_remove_auto_add', '2026-11-30 21:05:51.349103+00');
INSERT INTO django_migrations VALUES (5, 'admin', '0003_logentry_add_action_flag_choices', '2026-11-30 21:05:51.353369+00');
INSERT INTO django_migrations VALUES (6, 'contenttypes', '0002_remove_content_type_name', '2026-11-30 21:05:51.362303+00');
INSERT INTO django_migrations VALUES (7, 'auth', '0002_alter_permission_name_max_length', '2026-11-30 21:05:51.366692+00');
INSERT INTO django_migrations VALUES (8, 'auth', '0003_alter_user_email_max_length', '2026-11-30 21:05:51.371008+00');
INSERT INTO django_migrations VALUES (9, 'auth', '0004_alter_user_username_opts', '2026-11-30 21:05:51.374816+00');
INSERT INTO django_migrations VALUES (10, 'auth', '0005_alter_user_last_login_null', '2026-11-30 21:05:51.378824+00');
INSERT INTO django_migrations VALUES (11, 'auth', '0006_require_contenttypes_0002', '2026-11-30 21:05:51.379917+00');
INSERT INTO django_migrations VALUES (12, 'auth', '0007_alter_validators_add_error_messages', '2026-11-30 21:05:51.383627+00');
INSERT INTO django_migrations VALUES (13, 'auth', '0008_alter_user_username_max_length', '2026-11-30 21:05:51.389274+00');
INSERT INTO django_migrations VALUES (14, 'auth', '0009_alter_user_last_name_max_length', '2026-11-30 21:05:51.393872+00');
INSERT INTO django_migrations VALUES (15, 'auth', '0010_alter_group_name_max_length', '2026-11-30 21:05:51.400862+00');
INSERT INTO django_migrations VALUES (16, 'auth', '0011_update_proxy_permissions', '2026-11-30 21:05:51.404943+00');
INSERT INTO django_migrations VALUES (17, 'auth', '0012_alter_user_first_name_max_length', '2026-11-30 21:05:51.409202+00');
INSERT INTO django_migrations VALUES (18, 'chat', '0001_initial', '2026-11-30 21:05:51.427142+00');
INSERT INTO django_migrations VALUES (19, 'sessions', '0001_initial', '2026-11-30 21:05:51.432009+00');


--
-- Data for Name: django_session; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Name: auth_group_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('auth_group_id_seq', 1, false);


--
-- Name: auth_group_permissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('auth_group_permissions_id_seq', 1, false);


--
-- Name: auth_permission_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('auth_permission_id_seq', 32, true);


--
-- Name: auth_user_groups_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('auth_user_groups_id_seq', 1, false);


--
-- Name: auth_user_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('auth_user_id_seq', 17, true);


--
-- Name: auth_user_user_permissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('auth_user_user_permissions_id_seq', 1, false);


--
-- Name: chat_message_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('chat_message_id_seq', 91, true);


--
-- Name: chat_room_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('chat_room_id_seq', 16, true);


--
-- Name: chat_room_online_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('chat_room_online_id_seq', 1, false);


--
-- Name: django_admin_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('django_admin_log_id_seq', 1, false);


--
-- Name: django_content_type_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('django_content_type_id_seq', 8, true);


--
-- Name: django_migrations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('django_migrations_id_seq', 19, true);


--
-- Name: auth_group auth_group_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_group
    ADD CONSTRAINT auth_group_name_key UNIQUE (name);


--
-- Name: auth_group_permissions auth_group_permissions_group_id_permission_id_0cd325b0_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_group_permissions
    ADD CONSTRAINT auth_group_permissions_group_id_permission_id_0cd325b0_uniq UNIQUE (group_id, permission_id);


--
-- Name: auth_group_permissions auth_group_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_group_permissions
    ADD CONSTRAINT auth_group_permissions_pkey PRIMARY KEY (id);


--
-- Name: auth_group auth_group_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_group
    ADD CONSTRAINT auth_group_pkey PRIMARY KEY (id);


--
-- Name: auth_permission auth_permission_content_type_id_codename_01ab375a_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_permission
    ADD CONSTRAINT auth_permission_content_type_id_codename_01ab375a_uniq UNIQUE (content_type_id, codename);


--
-- Name: auth_permission auth_permission_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_permission
    ADD CONSTRAINT auth_permission_pkey PRIMARY KEY (id);


--
-- Name: auth_user_groups auth_user_groups_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user_groups
    ADD CONSTRAINT auth_user_groups_pkey PRIMARY KEY (id);


--
-- Name: auth_user_groups auth_user_groups_user_id_group_id_94350c0c_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user_groups
    ADD CONSTRAINT auth_user_groups_user_id_group_id_94350c0c_uniq UNIQUE (user_id, group_id);


--
-- Name: auth_user auth_user_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user
    ADD CONSTRAINT auth_user_pkey PRIMARY KEY (id);


--
-- Name: auth_user_user_permissions auth_user_user_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user_user_permissions
    ADD CONSTRAINT auth_user_user_permissions_pkey PRIMARY KEY (id);


--
-- Name: auth_user_user_permissions auth_user_user_permissions_user_id_permission_id_14a6b632_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user_user_permissions
    ADD CONSTRAINT auth_user_user_permissions_user_id_permission_id_14a6b632_uniq UNIQUE (user_id, permission_id);


--
-- Name: auth_user auth_user_username_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user
    ADD CONSTRAINT auth_user_username_key UNIQUE (username);


--
-- Name: chat_message chat_message_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY chat_message
    ADD CONSTRAINT chat_message_pkey PRIMARY KEY (id);


--
-- Name: chat_room_online chat_room_online_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY chat_room_online
    ADD CONSTRAINT chat_room_online_pkey PRIMARY KEY (id);


--
-- Name: chat_room_online chat_room_online_room_id_user_id_e2a404a3_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY chat_room_online
    ADD CONSTRAINT chat_room_online_room_id_user_id_e2a404a3_uniq UNIQUE (room_id, user_id);


--
-- Name: chat_room chat_room_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY chat_room
    ADD CONSTRAINT chat_room_pkey PRIMARY KEY (id);


--
-- Name: django_admin_log django_admin_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY django_admin_log
    ADD CONSTRAINT django_admin_log_pkey PRIMARY KEY (id);


--
-- Name: django_content_type django_content_type_app_label_model_76bd3d3b_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY django_content_type
    ADD CONSTRAINT django_content_type_app_label_model_76bd3d3b_uniq UNIQUE (app_label, model);


--
-- Name: django_content_type django_content_type_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY django_content_type
    ADD CONSTRAINT django_content_type_pkey PRIMARY KEY (id);


--
-- Name: django_migrations django_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY django_migrations
    ADD CONSTRAINT django_migrations_pkey PRIMARY KEY (id);


--
-- Name: django_session django_session_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY django_session
    ADD CONSTRAINT django_session_pkey PRIMARY KEY (session_key);


--
-- Name: auth_group_name_a6ea08ec_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_group_name_a6ea08ec_like ON auth_group USING btree (name varchar_pattern_ops);


--
-- Name: auth_group_permissions_group_id_b120cbf9; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_group_permissions_group_id_b120cbf9 ON auth_group_permissions USING btree (group_id);


--
-- Name: auth_group_permissions_permission_id_84c5c92e; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_group_permissions_permission_id_84c5c92e ON auth_group_permissions USING btree (permission_id);


--
-- Name: auth_permission_content_type_id_2f476e4b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_permission_content_type_id_2f476e4b ON auth_permission USING btree (content_type_id);


--
-- Name: auth_user_groups_group_id_97559544; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_user_groups_group_id_97559544 ON auth_user_groups USING btree (group_id);


--
-- Name: auth_user_groups_user_id_6a12ed8b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_user_groups_user_id_6a12ed8b ON auth_user_groups USING btree (user_id);


--
-- Name: auth_user_user_permissions_permission_id_1fbb5f2c; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_user_user_permissions_permission_id_1fbb5f2c ON auth_user_user_permissions USING btree (permission_id);


--
-- Name: auth_user_user_permissions_user_id_a95ead1b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_user_user_permissions_user_id_a95ead1b ON auth_user_user_permissions USING btree (user_id);


--
-- Name: auth_user_username_6821ab7c_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_user_username_6821ab7c_like ON auth_user USING btree (username varchar_pattern_ops);


--
-- Name: chat_message_room_id_5e7d8d78; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX chat_message_room_id_5e7d8d78 ON chat_message USING btree (room_id);


--
-- Name: chat_message_user_id_a47c01bb; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX chat_message_user_id_a47c01bb ON chat_message USING btree (user_id);


--
-- Name: chat_room_online_room_id_879f4121; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX chat_room_online_room_id_879f4121 ON chat_room_online USING btree (room_id);


--
-- Name: chat_room_online_user_id_fb4972a2; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX chat_room_online_user_id_fb4972a2 ON chat_room_online USING btree (user_id);


--
-- Name: django_admin_log_content_type_id_c4bce8eb; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_admin_log_content_type_id_c4bce8eb ON django_admin_log USING btree (content_type_id);


--
-- Name: django_admin_log_user_id_c564eba6; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_admin_log_user_id_c564eba6 ON django_admin_log USING btree (user_id);


--
-- Name: django_session_expire_date_a5c62663; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_session_expire_date_a5c62663 ON django_session USING btree (expire_date);


--
-- Name: django_session_session_key_c0390e0f_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_session_session_key_c0390e0f_like ON django_session USING btree (session_key varchar_pattern_ops);


--
-- Name: auth_group_permissions auth_group_permissio_permission_id_84c5c92e_fk_auth_perm; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_group_permissions
    ADD CONSTRAINT auth_group_permissio_permission_id_84c5c92e_fk_auth_perm FOREIGN KEY (permission_id) REFERENCES auth_permission(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_group_permissions auth_group_permissions_group_id_b120cbf9_fk_auth_group_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_group_permissions
    ADD CONSTRAINT auth_group_permissions_group_id_b120cbf9_fk_auth_group_id FOREIGN KEY (group_id) REFERENCES auth_group(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_permission auth_permission_content_type_id_2f476e4b_fk_django_co; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_permission
    ADD CONSTRAINT auth_permission_content_type_id_2f476e4b_fk_django_co FOREIGN KEY (content_type_id) REFERENCES django_content_type(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_user_groups auth_user_groups_group_id_97559544_fk_auth_group_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user_groups
    ADD CONSTRAINT auth_user_groups_group_id_97559544_fk_auth_group_id FOREIGN KEY (group_id) REFERENCES auth_group(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_user_groups auth_user_groups_user_id_6a12ed8b_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user_groups
    ADD CONSTRAINT auth_user_groups_user_id_6a12ed8b_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_user_user_permissions auth_user_user_permi_permission_id_1fbb5f2c_fk_auth_perm; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user_user_permissions
    ADD CONSTRAINT auth_user_user_permi_permission_id_1fbb5f2c_fk_auth_perm FOREIGN KEY (permission_id) REFERENCES auth_permission(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_user_user_permissions auth_user_user_permissions_user_id_a95ead1b_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auth_user_user_permissions
    ADD CONSTRAINT auth_user_user_permissions_user_id_a95ead1b_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: chat_message chat_message_room_id_5e7d8d78_fk_chat_room_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY chat_message
    ADD CONSTRAINT chat_message_room_id_5e7d8d78_fk_chat_room_id FOREIGN KEY (room_id) REFERENCES chat_room(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: chat_message chat_message_user_id_a47c01bb_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY chat_message
    ADD CONSTRAINT chat_message_user_id_a47c01bb_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: chat_room_online chat_room_online_room_id_879f4121_fk_chat_room_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY chat_room_online
    ADD CONSTRAINT chat_room_online_room_id_879f4121_fk_chat_room_id FOREIGN KEY (room_id) REFERENCES chat_room(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: chat_room_online chat_room_online_user_id_fb4972a2_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY chat_room_online
    ADD CONSTRAINT chat_room_online_user_id_fb4972a2_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: django_admin_log django_admin_log_content_type_id_c4bce8eb_fk_django_co; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY django_admin_log
    ADD CONSTRAINT django_admin_log_content_type_id_c4bce8eb_fk_django_co FOREIGN KEY (content_type_id) REFERENCES django_content_type(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: django_admin_log django_admin_log_user_id_c564eba6_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY django_admin_log
    ADD CONSTRAINT django_admin_log_user_id_c564eba6_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- PostgreSQL database dump complete
--


