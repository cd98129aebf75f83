/* Deliberately defines nothing: see meson.build. */
typedef int system_library_placeholder;
