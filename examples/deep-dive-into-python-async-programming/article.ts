/** The article this folder reproduces. */
export const article = {
  slug: "deep-dive-into-python-async-programming",
  title: "Deep Dive into Python Async Programming",
  author: "Alex Jacobs",
} as const;
