/** The article this folder reproduces. */
export const article = {
  slug: "asynchronous-programming-in-python",
  title: "Asynchronous Programming in Python",
  author: "Nithesh Reddy",
} as const;
