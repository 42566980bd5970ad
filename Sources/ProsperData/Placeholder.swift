public enum ProsperDataPlaceholder {}
